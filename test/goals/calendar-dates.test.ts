import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import { createGoal, errorOf } from './helpers.js';

let db: Database;
let fixture: Fixture;
let client: TestClient;

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await createFixture(db, { workspace: { timeZone: 'Europe/Berlin' }, users: [{ name: 'Ana', team: 'North' }] });
  client = createTestClient(db, fixture.workspaceId);
});
afterAll(async () => db.close());

it('a period given as dates means midnight in the workspace’s zone (Berlin: 23:00 UTC the day before in winter, 22:00 in summer)', async () => {
  const goal = await createGoal(client, {
    kpiKey: 'won_revenue', target: '1000', owner: { workspace: true }, description: 'Q1 and Q2', period: { start: '2025-01-01', end: '2025-07-01' },
  });
  expect(goal.period).toEqual({ start: '2024-12-31T23:00:00.000Z', end: '2025-06-30T22:00:00.000Z' });
});

it('an instant with an offset stays that instant', async () => {
  const goal = await createGoal(client, {
    kpiKey: 'won_revenue', target: '1000', owner: { workspace: true }, description: 'UTC bounds', period: { start: '2025-01-01T00:00:00Z', end: '2025-04-01T00:00:00Z' },
  });
  expect(goal.period).toEqual({ start: '2025-01-01T00:00:00.000Z', end: '2025-04-01T00:00:00.000Z' });
});

it('the goals list’s activeAt takes a date the same way', async () => {
  const result = await client.execute<{ goals: { totalCount: number } }>(`{ goals(filter: { activeAt: "2024-12-31T23:30:00Z" }) { totalCount } }`);
  const byDate = await client.execute<{ goals: { totalCount: number } }>(`{ goals(filter: { activeAt: "2025-01-01" }) { totalCount } }`);
  expect(result.data!.goals.totalCount).toBe(1);
  expect(byDate.data!.goals.totalCount).toBe(1);
});

it('refuses a date that does not exist', async () => {
  const result = await client.execute(`mutation { createGoal(input: { kpiKey: "won_revenue", target: "1", owner: { workspace: true }, description: "x", period: { start: "2025-02-30", end: "2025-04-01" } }) { id } }`);
  expect(errorOf(result).message).toMatch(/2025-02-30 is not a real instant: 2025-02 has 28 days/);
});
