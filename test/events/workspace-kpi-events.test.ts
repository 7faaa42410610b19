import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createServer } from '../../src/server/create-server.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey, testConfig } from '../support/server.js';
import { gid } from '../goals/helpers.js';
import { storedEvents, waitFor } from './helpers.js';

/** A goal on a KPI defined at run time is judged like a plugin's, and its events are recorded. */
const hour = 3_600_000;
let db: Database;
let acme: Fixture;
let server: KpigraphServer;
let url: string;
let adminKey: string;
const start = new Date(Math.floor(Date.now() / 1000) * 1000 - hour / 2);

async function graphql<Data>(query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data: Data; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

beforeAll(async () => {
  db = await createTestDatabase();
  acme = await createFixture(db, { workspace: { name: 'Acme' }, users: [{ name: 'Ada', team: 'North' }] });
  server = createServer({ db, config: testConfig({ GOAL_EVENTS: 'true', GOAL_EVENTS_INTERVAL_MS: '0', GOAL_EVENTS_DEBOUNCE_MS: '20' }) });
  url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
  adminKey = await mintTestKey(db, acme.workspaceId);
});
afterAll(async () => server?.close());

it('defineKpi → createGoal → a write that moves the goal records its event, with the formula’s value', async () => {
  await graphql(/* GraphQL */ `mutation($input: DefineKpiInput!) { defineKpi(input: $input) { key } }`, {
    input: { key: 'weighted_leads', name: 'Weighted leads', description: 'New leads counted twice.', unit: 'COUNT', direction: 'HIGHER', formula: 'new_leads * 2' },
  });
  // Four weighted leads (two leads) over a two-hour period half an hour old: none yet is OFF_TRACK.
  const goal = await graphql<{ createGoal: { id: string } }>(/* GraphQL */ `mutation($input: CreateGoalInput!) { createGoal(input: $input) { id } }`, {
    input: { kpiKey: 'weighted_leads', target: '4', period: { start: start.toISOString(), end: new Date(start.getTime() + 2 * hour).toISOString() }, owner: { workspace: true }, scope: {}, description: 'Weighted leads', baseline: '0' },
  });
  await waitFor(async () => (await db.prisma.goalEventState.count()) === 1, 5_000, 'the first judgement');
  expect((await db.prisma.goalEventState.findFirstOrThrow()).status).toBe('OFF_TRACK');
  expect(await storedEvents(db)).toEqual([]);

  await graphql(/* GraphQL */ `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
    input: { name: 'Lead 1', industry: 'Retail', region: 'DE', channel: 'referral', ownerId: gid('User', acme.ids.users['Ada']!) },
  });
  // One lead is 2 of 4 with a quarter of the period gone: projected 8, ON_TRACK, and 50 % reached.
  await waitFor(async () => (await storedEvents(db)).length === 2, 5_000, 'two events');
  const events = await storedEvents(db);
  expect(events.map((event) => [event.kpiKey, event.kind, event.oldStatus, event.newStatus, event.threshold])).toEqual([
    ['weighted_leads', 'STATUS_CHANGED', 'OFF_TRACK', 'ON_TRACK', null],
    ['weighted_leads', 'THRESHOLD_CROSSED', 'OFF_TRACK', 'ON_TRACK', 50],
  ]);
  expect(events[0]!.goalId).toBe(Number(Buffer.from(goal.createGoal.id, 'base64').toString().split(':')[1]));
  expect(String(events[0]!.actual)).toBe('2');
});
