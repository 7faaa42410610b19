import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { kpiReads, touchedByMutation } from '../../src/goals/events/sources.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createServer } from '../../src/server/create-server.js';
import { createKpiRegistry } from '../../src/kpi/kpi-plugins.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey, testConfig } from '../support/server.js';
import { gid } from '../goals/helpers.js';

/**
 * A write judges again only the goals whose KPI reads a source it touched:
 * two goals, on new_leads (customers) and won_revenue (deals). Marks are
 * judged when the test flushes them (the debounce is an hour).
 */
let db: Database;
let acme: Fixture;
let server: KpigraphServer;
let key: string;

async function graphql(query: string, variables: Record<string, unknown>): Promise<Record<string, { id: string }>> {
  const response = await server.yoga.fetch('http://kpigraph.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data: Record<string, { id: string }>; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

/** Goals judged by the pass that follows the writes. */
async function judgedAfter(write: () => Promise<unknown>): Promise<number> {
  await server.events.detector.flush();
  const before = server.events.detector.stats.goalsJudged;
  await write();
  await server.events.detector.flush();
  return server.events.detector.stats.goalsJudged - before;
}

beforeAll(async () => {
  db = await createTestDatabase();
  acme = await createFixture(db, { workspace: { name: 'Acme', timeZone: 'UTC' }, users: [{ name: 'Ada', team: 'North' }], customers: [{ name: 'Old', owner: 'Ada' }] });
  const start = new Date(Date.now() - 3_600_000);
  const period = { periodStart: start, periodEnd: new Date(start.getTime() + 4 * 3_600_000) };
  for (const kpiKey of ['new_leads', 'won_revenue']) {
    await db.prisma.goal.create({ data: { workspaceId: acme.workspaceId, kpiKey, target: '10', ...period, ownerTeamId: acme.ids.teams['North']!, scope: {}, description: kpiKey } });
  }
  server = createServer({ db, config: testConfig({ GOAL_EVENTS: 'true', GOAL_EVENTS_INTERVAL_MS: '0', GOAL_EVENTS_DEBOUNCE_MS: '3600000', WEBHOOK_ALLOW_PRIVATE: 'true' }) });
  key = await mintTestKey(db, acme.workspaceId);
});
afterAll(async () => server?.close());

describe('what a write marks', () => {
  it('a KPI reads the sources of its measures; a derived one its components’; unknown KPIs read anything', async () => {
    const registry = await createKpiRegistry([]);
    expect([...kpiReads(registry.get('won_revenue'))!]).toEqual(['deals']);
    expect([...kpiReads(registry.get('new_leads'))!]).toEqual(['customers']);
    expect(kpiReads(registry.get('no_such_kpi'))).toBeNull();
    expect(touchedByMutation(['recordActivity', 'createApiKey'])).toEqual(new Set(['activities']));
    expect(touchedByMutation(['createDeal'])).toEqual(new Set(['deals', 'stageEvents']));
    expect(touchedByMutation(['updateCustomer'])).toBe('all');
    expect(touchedByMutation(['createGoal'])).toBe('all');
  });

  it('an activity moves no goal here: none is judged; a deal judges the won_revenue goal alone; a customer both', async () => {
    const customer = gid('Customer', acme.ids.customers['Old']!);
    const ada = gid('User', acme.ids.users['Ada']!);
    expect(await judgedAfter(() => graphql(`mutation($input: RecordActivityInput!) { recordActivity(input: $input) { id } }`, { input: { type: 'CALL', at: new Date().toISOString(), customerId: customer, userId: ada } }))).toBe(0);
    expect(await judgedAfter(() => graphql(`mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }`, { input: { title: 'Deal', amount: '100', customerId: customer, productLine: 'core' } }))).toBe(1);
    expect(await judgedAfter(() => graphql(`mutation($id: ID!) { updateCustomer(id: $id, input: { region: "FR" }) { id } }`, { id: customer }))).toBe(2);
    // Administrative mutations mark nothing.
    expect(await judgedAfter(() => graphql(`mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:9/hooks" }) { endpoint { id } } }`, {}))).toBe(0);
  });
});
