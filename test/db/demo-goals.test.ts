import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { loadDemoData } from '../../src/db/demo/index.js';
import { createDemoGoals } from '../../src/goals/demo-goals.js';
import { createKpiLoader } from '../../src/kpi/engine.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createServer } from '../../src/server/create-server.js';
import { createKpiRegistry } from '../../src/kpi/kpi-plugins.js';
import { runCli } from '../cli/harness.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey, testConfig } from '../support/server.js';

/** The demo as `npm start` loads it on 3 December 2026: data up to that day and goals across statuses. */
const now = new Date('2026-12-03T10:00:00.000Z');

let db: Database;
let server: KpigraphServer;
let env: Record<string, string>;
let workspaceId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  const summary = await loadDemoData(db, { deals: 3_000, now });
  workspaceId = summary.workspaceId;
  const registry = await createKpiRegistry([]);
  const timeZone = 'Europe/Berlin';
  await createDemoGoals({ db, workspaceId, timeZone, registry, kpi: createKpiLoader({ db, workspaceId, timeZone, registry }), now });
  server = createServer({ db, config: testConfig() });
  const port = await server.listen(0, '127.0.0.1');
  env = { KPIGRAPH_URL: `http://127.0.0.1:${port}/graphql`, KPIGRAPH_API_KEY: await mintTestKey(db, workspaceId, { role: 'VIEWER' }) };
}, 120_000);
afterAll(async () => server?.close());

it('has new leads in every month up to today, October to December 2026 included', async () => {
  const { rows } = await db.query<{ month: string; n: number }>(
    `SELECT to_char(date_trunc('month', "createdAt"), 'YYYY-MM') AS month, count(*)::int AS n FROM "Customer"
      WHERE "workspaceId" = $1 AND "createdAt" >= '2026-10-01' GROUP BY 1 ORDER BY 1`,
    [workspaceId],
  );
  expect(rows.map((row) => row.month)).toEqual(['2026-10', '2026-11', '2026-12']);
  for (const row of rows) expect(row.n).toBeGreaterThan(0);
});

it('kpigraph goals --active-at now lists at least 8 goals in at least 3 statuses, cascaded ones among them', async () => {
  const instant = now.toISOString();
  const result = await runCli(['goals', '--active-at', instant, '--at', instant, '--json'], env, 60_000);
  expect(result.code, result.stderr).toBe(0);
  const goals = JSON.parse(result.stdout) as { status: string; parent: number | null; number: number; ownerKind: string; pacing: string }[];
  expect(goals.length).toBeGreaterThanOrEqual(8);
  expect(new Set(goals.map((goal) => goal.status)).size).toBeGreaterThanOrEqual(3);
  const children = goals.filter((goal) => goal.parent !== null);
  expect(children.length).toBeGreaterThanOrEqual(2);
  expect(goals.some((goal) => children.some((child) => child.parent === goal.number))).toBe(true);
  expect(new Set(goals.map((goal) => goal.ownerKind))).toEqual(new Set(['WORKSPACE', 'TEAM', 'USER']));
  expect(goals.every((goal) => goal.pacing === 'LINEAR' || goal.pacing === 'HELD')).toBe(true);
}, 60_000);

it('the last quarter’s goals are achieved or missed', async () => {
  const result = await runCli(['goals', '--active-at', '2026-08-15', '--at', now.toISOString(), '--json'], env, 60_000);
  expect(result.code, result.stderr).toBe(0);
  const statuses = (JSON.parse(result.stdout) as { status: string }[]).map((goal) => goal.status).sort();
  expect(statuses).toContain('ACHIEVED');
  expect(statuses).toContain('MISSED');
}, 60_000);

it('a team’s scorecard shows its cascade tree: the team’s goal with the reps’ goals split from it, each with progress', async () => {
  const parent = await db.prisma.goal.findFirstOrThrow({ where: { workspaceId, kpiKey: 'new_leads', ownerTeamId: { not: null }, children: { some: {} } }, include: { children: { orderBy: { id: 'asc' } } } });
  const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
  const response = await fetch(env['KPIGRAPH_URL']!, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${env['KPIGRAPH_API_KEY']!}` },
    body: JSON.stringify({
      query: `query($teamId: ID!, $period: PeriodInput!, $at: DateTime!) { scorecard(teamId: $teamId, period: $period, at: $at, includeMembers: true) {
        goals { id } tree { id parent { id } children { id parent { id } progress { status attainment } } } } }`,
      variables: { teamId: gid('Team', parent.ownerTeamId!), period: { start: parent.periodStart.toISOString(), end: parent.periodEnd.toISOString() }, at: now.toISOString() },
    }),
  });
  const body = (await response.json()) as { errors?: unknown; data: { scorecard: { goals: { id: string }[]; tree: { id: string; parent: { id: string } | null; children: { id: string; parent: { id: string }; progress: { status: string } }[] }[] } } };
  expect(body.errors).toBeUndefined();
  const { goals, tree } = body.data.scorecard;
  const node = tree.find((goal) => goal.id === gid('Goal', parent.id))!;
  expect(node).toBeDefined();
  expect(node.children.map((child) => child.id)).toEqual(parent.children.map((child) => gid('Goal', child.id)));
  expect(node.children.every((child) => child.parent.id === node.id && typeof child.progress.status === 'string')).toBe(true);
  // The reps' goals are on the card but not roots of the tree; every root's parent is off the card.
  const roots = new Set(tree.map((goal) => goal.id));
  for (const child of node.children) expect(roots.has(child.id)).toBe(false);
  const onCard = new Set(goals.map((goal) => goal.id));
  for (const root of tree) expect(root.parent === null || !onCard.has(root.parent.id)).toBe(true);
  expect(tree.length).toBeLessThan(goals.length);
}, 60_000);
