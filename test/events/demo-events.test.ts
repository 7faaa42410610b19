import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { loadDemoData } from '../../src/db/demo/index.js';
import { createDemoGoals } from '../../src/goals/demo-goals.js';
import { createKpiLoader } from '../../src/kpi/engine.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createServer } from '../../src/server/create-server.js';
import { createKpiRegistry } from '../../src/kpi/kpi-plugins.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey, testConfig } from '../support/server.js';
import { gid } from '../goals/helpers.js';
import { collectEvents, waitFor } from './helpers.js';

/**
 * The bar of goal events on the demo as `npm start` serves it: demo data and
 * goals loaded today, and detection on with its defaults (as in development:
 * a 250 ms debounce, judged at start and every minute).
 */
let db: Database;
let server: KpigraphServer;
let url: string;
let key: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const now = new Date();
  const { workspaceId } = await loadDemoData(db, { deals: 3_000, now });
  const registry = await createKpiRegistry([]);
  const timeZone = 'Europe/Berlin';
  await createDemoGoals({ db, workspaceId, timeZone, registry, kpi: createKpiLoader({ db, workspaceId, timeZone, registry }), now });
  server = createServer({ db, registry, config: testConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent' }) });
  url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
  key = await mintTestKey(db, workspaceId);
  // The start's judgement of every open goal records their statuses (no events).
  const open = await db.prisma.goal.count({ where: { archivedAt: null, periodEnd: { gt: new Date() } } });
  await waitFor(async () => (await db.prisma.goalEventState.count()) >= open, 60_000, 'the judgement at start');
}, 180_000);
afterAll(async () => server?.close());

it('a subscriber receives an event within 5 s of a mutation that moves a demo goal from one status to another', async () => {
  const now = new Date();
  const candidates = await db.prisma.goal.findMany({
    where: { kpiKey: { in: ['won_revenue', 'new_leads'] }, periodStart: { lte: now }, periodEnd: { gt: now }, children: { none: {} }, archivedAt: null },
    orderBy: { id: 'asc' },
  });
  const states = new Map((await db.prisma.goalEventState.findMany()).map((state) => [state.goalId, state.status]));
  const goal = candidates.find((candidate) => states.has(candidate.id) && states.get(candidate.id) !== 'OFF_TRACK');
  expect(goal, JSON.stringify(candidates.map((c) => states.get(c.id)))).toBeDefined();
  const subscriber = collectEvents(url, key, { filter: { kind: ['STATUS_CHANGED'] } });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const sent = Date.now();
  // A hundred times the target: far out of reach, so OFF_TRACK.
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      query: `mutation($id: ID!, $version: Int!, $target: Decimal!) { updateGoal(id: $id, version: $version, input: { target: $target }) { id } }`,
      variables: { id: gid('Goal', goal!.id), version: goal!.version, target: goal!.target.mul(100).toFixed() },
    }),
  });
  expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
  await waitFor(() => subscriber.events.length > 0, 5_000, 'the event');
  const latency = Date.now() - sent;
  expect(latency).toBeLessThan(5_000);
  expect(subscriber.events[0]).toMatchObject({ goalId: gid('Goal', goal!.id), oldStatus: states.get(goal!.id), newStatus: 'OFF_TRACK' });
  await subscriber.stop();
}, 30_000);
