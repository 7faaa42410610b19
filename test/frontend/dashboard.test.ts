import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '../../examples/dashboard/server.js';
import { startDashboard } from '../../examples/dashboard/server.js';
import { cardKpis, trendKpi } from '../../examples/dashboard/src/config.js';
import { monthLabel, periodsAt } from '../../examples/dashboard/src/dates.js';
import { formatShare, formatValue, rawValue, words } from '../../examples/dashboard/src/format.js';
import type { TypedDocumentString } from '../../examples/dashboard/src/gql/graphql.js';
import {
  DashboardFunnelDocument,
  DashboardGoalsDocument,
  DashboardKpisDocument,
  DashboardRfmDocument,
  DashboardTrendDocument,
} from '../../examples/dashboard/src/gql/graphql.js';
import { contrastWithWhite, cssRgb, goalStatusColour } from '../../examples/dashboard/src/status.js';
import type { Database } from '../../src/db/client.js';
import { loadDemoData } from '../../src/db/demo/index.js';
import { createDemoGoals } from '../../src/goals/demo-goals.js';
import { createKpiLoader } from '../../src/kpi/engine.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createServer } from '../../src/server/create-server.js';
import { createKpiRegistry } from '../../src/kpi/kpi-plugins.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey, testConfig } from '../support/server.js';

/**
 * The reference dashboard (examples/dashboard) in Debian's Chromium, driven
 * by playwright-core, against a server holding the demo of `npm start`.
 */

const chromiumPath = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((file): file is string => !!file && existsSync(file));
const skipReason = 'Chromium not found (looked for $CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser; .ci/run installs it with apt-get install -y chromium): the dashboard browser test did not run';
if (!chromiumPath) console.warn(`SKIPPED: ${skipReason}`);

/** The demo's "today": data up to this instant, goals of this quarter and the last. */
const at = '2026-12-03T10:00:00.000Z';
const screenshot = path.resolve('tmp/dashboard/dashboard.png');

let db: Database;
let server: KpigraphServer;
let dashboard: Dashboard;
let browser: Browser;
let page: Page;
let apiUrl: string;
let viewerKey: string;
let editorKey: string;
/** Errors the page logged: script errors, failed requests, anything its Content-Security-Policy blocked. */
const pageErrors: string[] = [];

async function api<Data, Variables>(document: TypedDocumentString<Data, Variables> | string, variables: Variables, key = viewerKey): Promise<Data> {
  const response = await fetch(apiUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: document.toString(), variables }) });
  const body = (await response.json()) as { data: Data; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

/** What the page shows in an element: its text and the raw API value it carries. */
const shown = (selector: string) => page.$eval(selector, (element) => ({ text: element.textContent, raw: element.getAttribute('data-value') }));

describe.runIf(chromiumPath)('the reference dashboard in Chromium', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    const now = new Date(at);
    const { workspaceId } = await loadDemoData(db, { deals: 3_000, now });
    const timeZone = 'Europe/Berlin';
    const registry = await createKpiRegistry([]);
    await createDemoGoals({ db, workspaceId, timeZone, registry, kpi: createKpiLoader({ db, workspaceId, timeZone, registry }), now });
    server = createServer({ db, config: testConfig({ GOAL_EVENTS: 'true', GOAL_EVENTS_INTERVAL_MS: '0', GOAL_EVENTS_DEBOUNCE_MS: '20' }) });
    apiUrl = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
    viewerKey = await mintTestKey(db, workspaceId, { role: 'VIEWER' });
    editorKey = await mintTestKey(db, workspaceId, { role: 'EDITOR' });
    dashboard = await startDashboard({ apiUrl, apiKey: viewerKey });
    browser = await chromium.launch({ executablePath: chromiumPath!, headless: true });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => void (message.type() === 'error' && pageErrors.push(message.text())));
    page.on('pageerror', (error) => void pageErrors.push(error.message));
    await page.goto(`${dashboard.url}?at=${encodeURIComponent(at)}`);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 40_000 });
  }, 150_000);

  afterAll(async () => {
    if (page) {
      await mkdir(path.dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    await browser?.close();
    await dashboard?.close();
    // Closing the server closes its database too (and drops it on PostgreSQL).
    if (server) await server.close();
    else await db?.close();
  });

  it('shows each KPI card’s value and target as the API gives them', async () => {
    const periods = periodsAt(at);
    const { workspace, kpis } = await api(DashboardKpisDocument, { keys: cardKpis, period: periods.recent, range: periods.year });
    expect(kpis.map((kpi) => kpi.key)).toEqual(cardKpis);
    for (const kpi of kpis) {
      const card = `[data-kpi="${kpi.key}"]`;
      expect(await shown(`${card} [data-name="value"]`)).toEqual({ text: formatValue(kpi.value, kpi.unit, workspace.currency), raw: rawValue(kpi.value) });
      if (kpi.value.target !== null) expect((await shown(`${card} [data-name="target"]`)).raw).toBe(String(kpi.value.target));
      expect(await page.$eval(`${card} .status`, (badge) => badge.getAttribute('data-status'))).toBe(kpi.value.status);
      expect(await page.$$eval(`${card} tbody tr`, (rows) => rows.length)).toBe(kpi.series.length);
    }
    expect(kpis.some((kpi) => kpi.value.value !== null && kpi.value.value > 0)).toBe(true);
  });

  it('draws the trend by team with the API’s monthly values in its table', async () => {
    const { kpi } = await api(DashboardTrendDocument, { key: trendKpi, range: periodsAt(at).year });
    const rows = await page.$$eval('#trend tbody tr', (trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    expect(rows).toHaveLength(12);
    const teams = await page.$$eval('#trend thead th', (ths) => ths.slice(1).map((th) => th.textContent));
    expect(teams.length).toBeGreaterThanOrEqual(2);
    kpi.series.forEach((point, i) => {
      const expected = teams.map((team) => formatValue({ value: point.breakdown.find((group) => group.label === team)?.value.value ?? null }, kpi.unit, 'EUR'));
      expect(rows[i]).toEqual([monthLabel(point.start), ...expected]);
    });
  });

  it('shows the funnel’s stage conversion and the RFM segments as the API gives them', async () => {
    const period = periodsAt(at).recent;
    const { kpi: funnel } = await api(DashboardFunnelDocument, { period });
    for (const stage of ['lead', 'qualified', 'needsAnalysis', 'proposal', 'negotiation'] as const) {
      const step = funnel[stage];
      expect(await shown(`[data-stage="${stage}"] [data-name="entered"]`)).toEqual({ text: step.denominator ?? '–', raw: step.denominator ?? '' });
      expect(await shown(`[data-stage="${stage}"] [data-name="conversion"]`)).toEqual({ text: formatShare(step.value), raw: step.value === null ? '' : String(step.value) });
    }
    expect(Number(funnel.lead.denominator)).toBeGreaterThan(0);
    const { kpi: rfm } = await api(DashboardRfmDocument, { period });
    const rows = await page.$$eval('#rfm tbody tr', (trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    expect(rows).toEqual(rfm.breakdown.map((group) => [words(group.label), group.value.numerator ?? '–', formatShare(group.value.value)]));
    expect(rows).toHaveLength(8);
  });

  it('lists the active goals with the API’s progress, each status badge in its status’s colour', async () => {
    const { goals } = await api(DashboardGoalsDocument, { at });
    expect(goals.edges.length).toBeGreaterThanOrEqual(8);
    expect(await page.$$eval('li.goal', (items) => items.length)).toBe(goals.edges.length);
    const colours = new Map<string, string>();
    for (const { node: goal } of goals.edges) {
      const item = `li.goal[data-goal-id="${goal.id}"]`;
      for (const field of ['actual', 'expected', 'projected', 'target'] as const) {
        const value = goal.progress[field];
        expect((await shown(`${item} [data-name="${field}"]`)).raw, `${goal.description} ${field}`).toBe(value === null ? '' : String(value));
      }
      const badge = await page.$eval(`${item} .status`, (element) => ({ status: element.getAttribute('data-status'), background: getComputedStyle(element).backgroundColor, colour: getComputedStyle(element).color }));
      expect(badge).toEqual({ status: goal.progress.status, background: cssRgb(goalStatusColour(goal.progress.status)), colour: 'rgb(255, 255, 255)' });
      expect(contrastWithWhite(goalStatusColour(goal.progress.status))).toBeGreaterThanOrEqual(4.5);
      colours.set(goal.progress.status, badge.background);
      expect((await page.$(`${item} .note`)) !== null, `${goal.description}: rolled-up note`).toBe(goal.progress.rolledUp);
      // The series has one value per week; for a total the pacing chart adds them up to the actual (unless that is rolled up from children).
      if (goal.progress.additive && !goal.progress.rolledUp && goal.progress.actual !== null) {
        expect(goal.progress.series.reduce((sum, point) => sum + (point.value ?? 0), 0)).toBeCloseTo(goal.progress.actual, 2);
        const lastSoFar = await page.$eval(`${item} .data-table tbody tr:last-child td:last-child`, (cell) => cell.textContent);
        expect(lastSoFar).toBe(formatValue({ value: goal.progress.actual }, goal.kpi?.unit ?? 'count', 'EUR'));
      }
    }
    // The demo has goals in several statuses, and different statuses look different.
    expect(colours.size).toBeGreaterThanOrEqual(3);
    expect(new Set(colours.values()).size).toBe(colours.size);
  });

  it('loads with no error in the console: nothing failed, nothing was blocked by its same-origin-only policy', () => {
    expect(pageErrors).toEqual([]);
  });

  it('draws every chart, and gives each a text alternative', async () => {
    const canvases = await page.$$eval('canvas', (elements) =>
      elements.map((canvas) => {
        const context = canvas.getContext('2d')!;
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
        return { painted, label: canvas.getAttribute('aria-label'), hidden: canvas.getAttribute('aria-hidden') };
      }),
    );
    expect(canvases.length).toBeGreaterThanOrEqual(cardKpis.length + 3 + 8);
    for (const canvas of canvases) {
      expect(canvas.painted).toBeGreaterThan(0);
      // A chart is either described in words (with its table beside it) or a decoration next to the same numbers in text.
      expect(canvas.label !== null || canvas.hidden === 'true').toBe(true);
    }
  });

  it('can be used from the keyboard: the skip link leads to the goals, data tables open with Enter', async () => {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to goals');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('goals');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.tagName);
    expect(focused).toBe('SUMMARY');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (document.activeElement?.parentElement as HTMLDetailsElement).open)).toBe(true);
  });

  it('keeps the API key on the dashboard server: no page, script or answer the browser gets contains it', async () => {
    const served = await Promise.all(['', 'app.js', 'style.css'].map(async (file) => (await fetch(new URL(file, dashboard.url))).text()));
    expect(served[1]!.length).toBeGreaterThan(1000);
    for (const text of served) expect(text).not.toContain(viewerKey);
    const answer = await fetch(new URL('graphql', dashboard.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ workspace { name } }' }) });
    expect(await answer.json()).toEqual({ data: { workspace: { name: 'Demo Co' } } });
    expect([...answer.headers.keys()].join(' ')).not.toMatch(/authorization/i);
  });

  it('shows a goal’s status change as it happens (goal events over Server-Sent Events)', async () => {
    await page.waitForSelector('#live-state[data-state="open"]', { timeout: 10_000 });
    const hour = 3_600_000;
    const start = Date.now() - hour / 2;
    const team = (await db.prisma.team.findFirstOrThrow({ orderBy: { id: 'asc' } })).id;
    const owner = (await db.prisma.user.findFirstOrThrow({ where: { teamId: team }, orderBy: { id: 'asc' } })).id;
    const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
    // Two new leads over two hours, a quarter of the way in: none yet is OFF_TRACK; one projects to four, ON_TRACK.
    await api(`mutation($input: CreateGoalInput!) { createGoal(input: $input) { id } }`, {
      input: { kpiKey: 'new_leads', target: '2', period: { start: new Date(start).toISOString(), end: new Date(start + 2 * hour).toISOString() }, owner: { teamId: gid('Team', team) }, scope: {}, description: 'Live lead goal', baseline: '0' },
    }, editorKey);
    const goal = await db.prisma.goal.findFirstOrThrow({ where: { description: 'Live lead goal' } });
    // The new goal is judged once (OFF_TRACK, no event) before the lead arrives.
    await expect.poll(() => db.prisma.goalEventState.count({ where: { goalId: goal.id } }), { timeout: 5_000 }).toBe(1);
    await api(`mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
      input: { name: 'Live lead', industry: 'Retail', region: 'DE', channel: 'referral', ownerId: gid('User', owner) },
    }, editorKey);
    const change = await page.waitForSelector('#live-log li[data-kind="STATUS_CHANGED"][data-status="ON_TRACK"]', { timeout: 10_000 });
    expect(await change.textContent()).toContain('Live lead goal: Off track → On track');
    const threshold = await page.waitForSelector('#live-log li[data-kind="THRESHOLD_CROSSED"]', { timeout: 10_000 });
    expect(await threshold.textContent()).toContain('Live lead goal reached 50 % (50.0 % attained)');
  });
});

if (!chromiumPath) {
  describe('the reference dashboard in Chromium', () => {
    it.skip(skipReason, () => undefined);
  });
}
