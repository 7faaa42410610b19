import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { countStatements } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import type { WorkspaceFixture } from './fixtures.js';
import { gid, twoWorkspaces } from './fixtures.js';

/**
 * Workspace A (fixtures.ts) plus: alphaOne WON; a fourth deal "Alpha cross"
 * on Alpha (North's customer) owned by Cy of South; payments 100 and 200 on
 * Alpha, 50 on Beta. So A holds 4 deals (North: alphaOne, alphaTwo; South:
 * betaOne, cross), 3 customers (North: Alpha, Gamma; South: Beta), 3 users
 * (North: Ada, Ben; South: Cy). Workspace B has the fixture's shape and must
 * count for nothing.
 */
let db: Database;
let admin: TestClient;
let north: TestClient;
let south: TestClient;
let a: WorkspaceFixture;

beforeAll(async () => {
  let b: WorkspaceFixture;
  ({ db, client: admin, a, b } = await twoWorkspaces());
  const w = { workspaceId: a.workspaceId };
  await db.prisma.deal.update({ where: { id: a.deals.alphaOne }, data: { stage: 'WON', closedAt: new Date('2026-03-01T00:00:00Z') } });
  await db.prisma.deal.create({
    data: { ...w, customerId: a.customers.alpha, ownerId: a.users.cy, title: 'Alpha cross', amount: '10.00', productLine: 'core', createdAt: new Date('2026-02-04T00:00:00Z') },
  });
  for (const [customerId, amount] of [[a.customers.alpha, '100.00'], [a.customers.alpha, '200.00'], [a.customers.beta, '50.00']] as const) {
    await db.prisma.payment.create({ data: { ...w, customerId, amount, paidAt: new Date('2026-03-10T00:00:00Z') } });
  }
  await db.prisma.payment.create({ data: { workspaceId: b.workspaceId, customerId: b.customers.alpha, amount: '1.00', paidAt: new Date('2026-03-10T00:00:00Z') } });
  north = createTestClient(db, a.workspaceId, {}, { role: 'VIEWER', teamId: a.teams.north });
  south = createTestClient(db, a.workspaceId, {}, { role: 'VIEWER', teamId: a.teams.south });
});
afterAll(async () => db.close());

async function data<T>(client: TestClient, query: string): Promise<T> {
  const result = await client.execute<T>(query);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}

const counts = (args = '') => /* GraphQL */ `{
  deals${args ? `(${args})` : ''} { totalCount }
  customers { totalCount }
  users { totalCount }
}`;

describe('totalCount', () => {
  it('counts every row of the list over all pages, not the page', async () => {
    const page = await data<{ deals: { totalCount: number; edges: unknown[] } }>(admin, '{ deals(first: 1) { totalCount edges { cursor } } }');
    expect(page.deals).toMatchObject({ totalCount: 4 });
    expect(page.deals.edges).toHaveLength(1);
    expect(await data(admin, counts())).toEqual({ deals: { totalCount: 4 }, customers: { totalCount: 3 }, users: { totalCount: 3 } });
  });

  it('counts what the filters select', async () => {
    const filtered = await data(admin, /* GraphQL */ `{
      won: deals(filter: { stage: [WON] }) { totalCount }
      northDeals: deals(filter: { teamId: "${gid('Team', a.teams.north)}" }) { totalCount }
      open: deals(filter: { open: true }) { totalCount }
      german: customers(filter: { region: ["DE"] }) { totalCount }
      southCustomers: customers(filter: { teamId: "${gid('Team', a.teams.south)}" }) { totalCount }
      northUsers: users(teamId: "${gid('Team', a.teams.north)}") { totalCount }
    }`);
    expect(filtered).toEqual({
      won: { totalCount: 1 },
      northDeals: { totalCount: 2 },
      open: { totalCount: 3 },
      german: { totalCount: 2 },
      southCustomers: { totalCount: 1 },
      northUsers: { totalCount: 2 },
    });
  });

  it('counts a customer’s deals and payments', async () => {
    const alpha = await data<{ node: unknown }>(admin, `{ node(id: "${gid('Customer', a.customers.alpha)}") { ... on Customer { deals(first: 1) { totalCount edges { cursor } } payments { totalCount } } } }`);
    expect(alpha.node).toMatchObject({ deals: { totalCount: 3 }, payments: { totalCount: 2 } });
  });

  it('counts only what a team key may see, the same rows its pages show', async () => {
    expect(await data(north, counts())).toEqual({ deals: { totalCount: 2 }, customers: { totalCount: 2 }, users: { totalCount: 2 } });
    expect(await data(south, counts())).toEqual({ deals: { totalCount: 2 }, customers: { totalCount: 1 }, users: { totalCount: 1 } });
    // A filter on top of the scope: South's WON deals are none.
    expect(await data(south, counts('filter: { stage: [WON] }'))).toMatchObject({ deals: { totalCount: 0 } });
    // Alpha is North's; its deal owned by South's Cy is not North's to see, in the page or in the count.
    const alpha = await data<{ node: { deals: { totalCount: number; edges: unknown[] }; payments: { totalCount: number } } }>(
      north,
      `{ node(id: "${gid('Customer', a.customers.alpha)}") { ... on Customer { deals { totalCount edges { cursor } } payments { totalCount } } } }`,
    );
    expect(alpha.node.deals.totalCount).toBe(2);
    expect(alpha.node.deals.edges).toHaveLength(2);
    expect(alpha.node.payments.totalCount).toBe(2);
  });

  it('is counted only when asked, and a count alone reads no rows', async () => {
    await admin.key();
    const counting = (statements: string[]) => statements.filter((sql) => /\bCOUNT\(/i.test(sql));
    const page = await countStatements(db, () => data(admin, '{ deals { edges { node { id } } } }'));
    expect(counting(page.statements)).toEqual([]);
    const readsDeals = (sql: string) => /FROM "public"\."Deal"/.test(sql) && !/\bCOUNT\(/i.test(sql);
    expect(page.statements.filter(readsDeals)).toHaveLength(1);
    const total = await countStatements(db, () => data(admin, '{ deals { totalCount } }'));
    expect(counting(total.statements)).toHaveLength(1);
    expect(total.statements.filter(readsDeals)).toEqual([]);
  });
});
