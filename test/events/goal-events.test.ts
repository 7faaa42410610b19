import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createServer } from '../../src/server/create-server.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey, testConfig } from '../support/server.js';
import { gid } from '../goals/helpers.js';
import { collectEvents, storedEvents, waitFor } from './helpers.js';

const hour = 3_600_000;
let db: Database;
let acme: Fixture;
let server: KpigraphServer;
let url: string;
let adminKey: string;
let northKey: string;
/** The server's clock: real time plus a shift the tests move forward. */
let shiftMs = 0;
const start = new Date(Math.floor(Date.now() / 1000) * 1000 - hour / 2);

async function graphql<Data>(query: string, variables: Record<string, unknown> = {}, key = adminKey): Promise<Data> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data: Data; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

const createGoal = `mutation($input: CreateGoalInput!) { createGoal(input: $input) { id } }`;
const createLead = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;
const history = `query($id: ID!) { node(id: $id) { ... on Goal { statusHistory { status since until } } } }`;

function leadInput(name: string) {
  return { name, industry: 'Retail', region: 'DE', channel: 'referral', ownerId: gid('User', acme.ids.users['Ada']!) };
}

function goalInput(team: string, description: string) {
  // Two new leads over a two-hour period a quarter over: none yet is OFF_TRACK.
  return { kpiKey: 'new_leads', target: '2', period: { start: start.toISOString(), end: new Date(start.getTime() + 2 * hour).toISOString() }, teamId: gid('Team', acme.ids.teams[team]!), scope: {}, description, baseline: '0' };
}

beforeAll(async () => {
  db = await createTestDatabase();
  acme = await createFixture(db, { workspace: { name: 'Acme' }, users: [{ name: 'Ada', team: 'North' }, { name: 'Bo', team: 'South' }] });
  server = createServer({
    db,
    config: testConfig({ GOAL_EVENTS: 'true', GOAL_EVENTS_INTERVAL_MS: '0', GOAL_EVENTS_DEBOUNCE_MS: '20', WEBHOOK_ALLOW_PRIVATE: 'true' }),
    goalEvents: { now: () => new Date(Date.now() + shiftMs) },
  });
  url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
  adminKey = await mintTestKey(db, acme.workspaceId);
  northKey = await mintTestKey(db, acme.workspaceId, { role: 'VIEWER', teamId: acme.ids.teams['North']! });
});
afterAll(async () => server.close());

describe('goal events over SSE', () => {
  it('a subscriber receives the event after a mutation moves a goal, with the numbers behind it; a team key only its team’s goals', async () => {
    const north = (await graphql<{ createGoal: { id: string } }>(createGoal, { input: goalInput('North', 'North leads') })).createGoal.id;
    const south = (await graphql<{ createGoal: { id: string } }>(createGoal, { input: goalInput('South', 'South leads') })).createGoal.id;
    // The goals' creation is judged first: both start OFF_TRACK, with no event.
    await waitFor(async () => (await db.prisma.goalEventState.count()) === 2, 5_000, 'first judgements');
    expect(await storedEvents(db)).toEqual([]);

    const all = collectEvents(url, adminKey);
    const team = collectEvents(url, northKey);
    const onlyAchieved = collectEvents(url, adminKey, { filter: { status: ['ACHIEVED'] } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sent = Date.now();
    await graphql(createLead, { input: leadInput('Lead 1') });
    // One lead of two with a quarter of the period gone: projected 4 → ON_TRACK, and 50 % reached, for both goals.
    await waitFor(() => all.events.length === 4, 5_000, 'four events');
    const latency = Date.now() - sent;
    expect(latency).toBeLessThan(5_000);
    const northEvents = all.events.filter((event) => event.goalId === north);
    expect(northEvents.map((event) => [event.kind, event.oldStatus, event.newStatus, event.threshold])).toEqual([
      ['STATUS_CHANGED', 'OFF_TRACK', 'ON_TRACK', null],
      ['THRESHOLD_CROSSED', 'OFF_TRACK', 'ON_TRACK', 50],
    ]);
    const changed = northEvents[0]!;
    expect(changed.actual).toBe(1);
    expect(changed.target).toBe(2);
    expect(changed.attainment).toBe(0.5);
    // A quarter of two hours has gone: expected ≈ 0.5 lead, projected ≈ 4.
    expect(changed.expected!).toBeGreaterThan(0.49);
    expect(changed.expected!).toBeLessThan(0.52);
    expect(changed.projected!).toBeGreaterThan(3.9);
    expect(changed.projected!).toBeLessThan(4.01);
    expect(changed.teamId).toBe(gid('Team', acme.ids.teams['North']!));
    await waitFor(() => team.events.length === 2, 2_000, 'the team’s two events');
    expect(team.events.every((event) => event.goalId === north)).toBe(true);
    expect(all.events.filter((event) => event.goalId === south)).toHaveLength(2);

    await graphql(createLead, { input: leadInput('Lead 2') });
    await waitFor(() => onlyAchieved.events.length === 4, 5_000, 'four ACHIEVED events');
    expect(onlyAchieved.events.filter((event) => event.goalId === north).map((event) => [event.kind, event.oldStatus, event.newStatus, event.threshold])).toEqual([
      ['STATUS_CHANGED', 'ON_TRACK', 'ACHIEVED', null],
      ['THRESHOLD_CROSSED', 'ON_TRACK', 'ACHIEVED', 100],
    ]);
    await waitFor(() => team.events.length === 4, 2_000, 'the team’s four events');
    for (const subscriber of [all, team, onlyAchieved]) {
      await subscriber.stop();
      expect(subscriber.errors).toEqual([]);
    }
    // Each transition once, numbered per goal.
    const stored = await storedEvents(db);
    expect(stored.filter((event) => event.goalId === Number(Buffer.from(north, 'base64').toString().split(':')[1])).map((event) => event.sequence)).toEqual([1, 2, 3, 4]);

    const { node } = await graphql<{ node: { statusHistory: { status: string; since: string; until: string | null }[] } }>(history, { id: north });
    expect(node.statusHistory.map((period) => period.status)).toEqual(['OFF_TRACK', 'ON_TRACK', 'ACHIEVED']);
    expect(node.statusHistory[0]!.until).toBe(node.statusHistory[1]!.since);
    expect(node.statusHistory[2]!.until).toBeNull();
  });

  it('a subscriber resuming after an event id gets the events it missed first, then live ones', async () => {
    const stored = await storedEvents(db);
    const resumed = collectEvents(url, adminKey, { after: String(stored[1]!.id) });
    await waitFor(() => resumed.events.length === stored.length - 2, 2_000, 'missed events');
    expect(resumed.events.map((event) => Number(event.id))).toEqual(stored.slice(2).map((event) => event.id));
    await resumed.stop();
  });

  it('time alone moves goals: the clock ends the period and the goal is MISSED, with no write', async () => {
    const goal = (await graphql<{ createGoal: { id: string } }>(createGoal, { input: { ...goalInput('North', 'Needs 50 leads'), target: '50' } })).createGoal.id;
    await server.events.detector.flush();
    const subscriber = collectEvents(url, adminKey, { filter: { status: ['MISSED'] } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    shiftMs = 2 * hour;
    await server.events.detector.tick();
    // The two ACHIEVED goals stay ACHIEVED at their end; only the third is MISSED.
    await waitFor(() => subscriber.events.length === 1, 2_000, 'MISSED');
    expect(subscriber.events).toHaveLength(1);
    expect(subscriber.events[0]).toMatchObject({ goalId: goal, oldStatus: 'OFF_TRACK', newStatus: 'MISSED', actual: 2, target: 50 });
    // Judged after its end once; further ticks leave it alone.
    const before = await db.prisma.goalEvent.count();
    await server.events.detector.tick();
    expect(await db.prisma.goalEvent.count()).toBe(before);
    await subscriber.stop();
    shiftMs = 0;
  });
});
