import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture, FixtureSpec } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import { countStatements, createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import { createGoal, errorOf, gid } from './helpers.js';

/**
 * Won revenue goals over Q1 2025 on a UTC workspace, asked on 15 February.
 * Teams North (Ana, Ben) and South (Cy). Deals won by 15 February:
 *
 * - Ana: A1 1000 (01-10), A2 500 and A3 250 (both 02-01 12:00; A3 has the
 *   higher ID, so it comes first). Newest first: A3, A2, A1; 1750.
 * - Ben: B1 300 (01-20) and AB 400 (01-25, Ana's customer but Ben's deal).
 * - Cy: C1 2000 (02-10).
 *
 * Left out everywhere: A4 (won 02-20, after the asked instant), A5 (lost),
 * A6 (won in December 2024, before the period).
 * North: A3, A2, AB, B1, A1 = 2450. South: C1 = 2000.
 *
 * New customers (converted in the period): Ana's A (01-10) and D (02-05);
 * Ben's B converted in December.
 */
const won = (name: string, customer: string, amount: number, closedAt: string, extra: { owner?: string; stage?: 'LOST' } = {}) => ({
  name, customer, amount, stage: extra.stage ?? ('WON' as const), createdAt: '2024-06-01T00:00:00Z', closedAt, ...(extra.owner ? { owner: extra.owner } : {}),
});
const spec = (): FixtureSpec => ({
  workspace: { timeZone: 'UTC' },
  users: [{ name: 'Ana', team: 'North' }, { name: 'Ben', team: 'North' }, { name: 'Cy', team: 'South' }],
  customers: [
    { name: 'A', owner: 'Ana', convertedAt: '2025-01-10T12:00:00Z' },
    { name: 'B', owner: 'Ben', convertedAt: '2024-12-01T12:00:00Z' },
    { name: 'C', owner: 'Cy' },
    { name: 'D', owner: 'Ana', convertedAt: '2025-02-05T12:00:00Z' },
  ],
  deals: [
    won('A1', 'A', 1000, '2025-01-10T12:00:00Z'),
    won('A2', 'A', 500, '2025-02-01T12:00:00Z'),
    won('A3', 'A', 250, '2025-02-01T12:00:00Z'),
    won('A4', 'A', 700, '2025-02-20T12:00:00Z'),
    won('A5', 'A', 900, '2025-01-15T12:00:00Z', { stage: 'LOST' }),
    won('A6', 'A', 100, '2024-12-31T12:00:00Z'),
    won('B1', 'B', 300, '2025-01-20T12:00:00Z'),
    won('AB', 'A', 400, '2025-01-25T12:00:00Z', { owner: 'Ben' }),
    won('C1', 'C', 2000, '2025-02-10T12:00:00Z'),
  ],
});

const q1 = { start: '2025-01-01T00:00:00Z', end: '2025-04-01T00:00:00Z' };
const at = '2025-02-15T00:00:00Z';

const recordsQuery = /* GraphQL */ `
  query R($id: ID!, $at: DateTime, $first: Int, $after: String) {
    node(id: $id) {
      ... on Goal {
        progress(at: $at) { exact }
        records(at: $at, first: $first, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { cursor node { __typename ... on Deal { id title amount } } }
        }
      }
    }
  }
`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { __typename: string; id: string; title: string; amount: string } }[];
}
type Result = { node: { progress: { exact: string | null }; records: Page } | null };

let db: Database;
let fixture: Fixture;
let admin: TestClient;
let south: TestClient;

const userOwner = (name: string) => ({ userId: gid('User', fixture.ids.users[name]!) });
const dealIds = (page: Page): string[] => page.edges.map((edge) => edge.node.id);
const deals = (...names: string[]): string[] => names.map((name) => gid('Deal', fixture.ids.deals[name]!));
const sum = (page: Page): number => page.edges.reduce((total, edge) => total + Number(edge.node.amount), 0);

async function records(client: TestClient, id: string, page: { first?: number; after?: string } = {}): Promise<{ progress: { exact: string | null }; records: Page }> {
  const result = await client.execute<Result>(recordsQuery, { id, at, ...page });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.node!;
}

const base = { kpiKey: 'won_revenue', period: q1, description: 'Win the quarter', target: '5000' };

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await createFixture(db, spec());
  admin = createTestClient(db, fixture.workspaceId);
  south = createTestClient(db, fixture.workspaceId, {}, { role: 'VIEWER', teamId: fixture.ids.teams['South']! });
});
afterAll(async () => db.close());

describe('Goal.records', () => {
  it('lists a rep’s won deals in the period, newest first, over two pages whose amounts add up to the actual', async () => {
    const goal = await createGoal(admin, { ...base, owner: userOwner('Ana') });
    const first = await records(admin, goal.id, { first: 2 });
    expect(first.progress.exact).toBe('1750');
    expect(first.records.totalCount).toBe(3);
    expect(dealIds(first.records)).toEqual(deals('A3', 'A2'));
    expect(first.records.pageInfo.hasNextPage).toBe(true);
    expect(first.records.edges.every((edge) => edge.node.__typename === 'Deal')).toBe(true);

    const second = await records(admin, goal.id, { first: 2, after: first.records.pageInfo.endCursor! });
    expect(dealIds(second.records)).toEqual(deals('A1'));
    expect(second.records.pageInfo.hasNextPage).toBe(false);
    expect(sum(first.records) + sum(second.records)).toBe(1750);
  });

  it('lists a team’s won deals, a deal counting for its owner’s team', async () => {
    const goal = await createGoal(admin, { ...base, owner: { teamId: String(fixture.ids.teams['North']) } });
    const { progress, records: page } = await records(admin, goal.id);
    expect(progress.exact).toBe('2450');
    expect(dealIds(page)).toEqual(deals('A3', 'A2', 'AB', 'B1', 'A1'));
    expect(page.totalCount).toBe(5);
    expect(sum(page)).toBe(2450);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  it('keeps a team-limited key to its team’s records', async () => {
    // South's goal measured over the whole workspace: the South key still sees only South's records.
    const wide = await createGoal(admin, { ...base, owner: { teamId: String(fixture.ids.teams['South']) }, scope: {} });
    const all = await records(admin, wide.id);
    expect(all.records.totalCount).toBe(6);
    expect(sum(all.records)).toBe(4450);
    const seen = await records(south, wide.id);
    expect(dealIds(seen.records)).toEqual(deals('C1'));
    expect(seen.records.totalCount).toBe(1);

    // North's goal is not even found with the South key.
    const north = await createGoal(admin, { ...base, owner: { teamId: String(fixture.ids.teams['North']) } });
    const result = await south.execute<Result>(recordsQuery, { id: north.id, at });
    expect(result.errors).toBeUndefined();
    expect(result.data!.node).toBeNull();
  });

  it('lists a count KPI’s records as their own type, as many as the actual', async () => {
    const goal = await createGoal(admin, { ...base, kpiKey: 'new_customers', target: '5', owner: userOwner('Ana') });
    const result = await admin.execute<{ node: { progress: { exact: string }; records: { totalCount: number; edges: { node: { __typename: string; id: string } }[] } } }>(
      /* GraphQL */ `query C($id: ID!, $at: DateTime) { node(id: $id) { ... on Goal { progress(at: $at) { exact } records(at: $at) { totalCount edges { node { __typename ... on Customer { id } } } } } } }`,
      { id: goal.id, at },
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const { progress, records: page } = result.data!.node;
    expect(progress.exact).toBe('2');
    expect(page.totalCount).toBe(2);
    expect(page.edges.map((edge) => edge.node)).toEqual([
      { __typename: 'Customer', id: gid('Customer', fixture.ids.customers['D']!) },
      { __typename: 'Customer', id: gid('Customer', fixture.ids.customers['A']!) },
    ]);
  });

  it('refuses a rate KPI, a snapshot count, an average and a compute plugin, naming the KPI and why', async () => {
    const rate = await createGoal(admin, { kpiKey: 'win_rate', period: q1, description: 'Win more', target: '0.5', owner: { workspace: true } });
    const refused = errorOf(await admin.execute(recordsQuery, { id: rate.id, at }));
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.field).toBe('records');
    expect(refused.message).toContain('KPI "win_rate" is a percent, not a count or money total, so its records cannot be listed.');

    const open = await createGoal(admin, { kpiKey: 'open_deals', period: q1, description: 'Fill the pipe', target: '10', owner: { workspace: true } });
    const snapshot = errorOf(await admin.execute(recordsQuery, { id: open.id, at }));
    expect(snapshot.code).toBe('BAD_USER_INPUT');
    expect(snapshot.message).toContain('KPI "open_deals" counts records alive at an instant');

    const average = await createGoal(admin, { kpiKey: 'avg_deal_size', period: q1, description: 'Bigger deals', target: '900', owner: { workspace: true } });
    expect(errorOf(await admin.execute(recordsQuery, { id: average.id, at })).message).toContain('KPI "avg_deal_size" is an average or level, not a total of its records, so its records cannot be listed.');

    const computed = await createGoal(admin, { kpiKey: 'new_revenue', period: q1, description: 'New money', target: '900', owner: { workspace: true } });
    expect(errorOf(await admin.execute(recordsQuery, { id: computed.id, at })).message).toContain('KPI "new_revenue" computes its values with its own query, so its records cannot be listed.');
  });

  it('reads a page in one statement for its IDs, one for its rows and one for totalCount', async () => {
    const goal = await createGoal(admin, { ...base, owner: userOwner('Ben') });
    await records(admin, goal.id);
    const { result, statements } = await countStatements(db, () => records(admin, goal.id));
    expect(dealIds(result.records)).toEqual(deals('AB', 'B1'));
    const drill = statements.filter((sql) => sql.includes('CROSS JOIN (SELECT'));
    expect(drill).toHaveLength(2);
    expect(statements.filter((sql) => /FROM "public"\."Deal"/.test(sql))).toHaveLength(1);
  });

  it('refuses a cursor it did not hand out', async () => {
    const goal = await createGoal(admin, { ...base, owner: userOwner('Cy') });
    const result = errorOf(await admin.execute(recordsQuery, { id: goal.id, at, after: 'bm90LWEtY3Vyc29y' }));
    expect(result).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
