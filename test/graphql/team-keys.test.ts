import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import type { WorkspaceFixture } from './fixtures.js';
import { gid, rowCounts, seedWorkspace } from './fixtures.js';

let db: Database;
let a: WorkspaceFixture;
let north: TestClient;
let south: TestClient;
/** A deal of Beta (South's customer, owned by Cy) that Ada of North owns. */
let crossDeal: number;
/** A deal of Alpha (North's customer) that Cy of South owns and won on Feb 10. */
let southWin: number;

beforeAll(async () => {
  db = await createTestDatabase();
  a = await seedWorkspace(db, 'Acme');
  const w = { workspaceId: a.workspaceId, productLine: 'core', amount: '10', createdAt: new Date('2026-01-20T00:00:00Z') };
  crossDeal = (await db.prisma.deal.create({ data: { ...w, customerId: a.customers.beta, ownerId: a.users.ada, title: 'Cross' } })).id;
  southWin = (
    await db.prisma.deal.create({
      data: { ...w, customerId: a.customers.alpha, ownerId: a.users.cy, title: 'South win', stage: 'WON', closedAt: new Date('2026-02-10T00:00:00Z') },
    })
  ).id;
  await db.prisma.customer.update({ where: { id: a.customers.alpha }, data: { status: 'CUSTOMER', convertedAt: new Date('2026-02-10T00:00:00Z') } });
  north = createTestClient(db, a.workspaceId, {}, { role: 'EDITOR', teamId: a.teams.north });
  south = createTestClient(db, a.workspaceId, {}, { role: 'EDITOR', teamId: a.teams.south });
});
afterAll(async () => db.close());

const move = /* GraphQL */ `
  mutation Move($id: ID!, $stage: DealStage!, $at: DateTime) {
    moveDealStage(id: $id, stage: $stage, at: $at) { stage customer { convertedAt } }
  }
`;

describe('moveDealStage with a team-limited key', () => {
  it('keeps convertedAt right when another team won the customer’s earlier deal', async () => {
    const result = await north.execute<{ moveDealStage: unknown }>(move, { id: gid('Deal', a.deals.alphaOne), stage: 'WON', at: '2026-03-01T00:00:00Z' });
    expect(result.errors).toBeUndefined();
    // South's win of Feb 10, invisible to the North key, is still the conversion.
    expect(result.data?.moveDealStage).toEqual({ stage: 'WON', customer: { convertedAt: '2026-02-10T00:00:00.000Z' } });
    expect(southWin).toBeGreaterThan(0);
  });

  it('refuses to win a deal whose customer is another team’s, writing nothing', async () => {
    const before = await rowCounts(db);
    const result = await north.execute(move, { id: gid('Deal', crossDeal), stage: 'WON', at: '2026-03-01T00:00:00Z' });
    expect(result.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(await rowCounts(db)).toEqual(before);
    expect((await db.prisma.deal.findUniqueOrThrow({ where: { id: crossDeal } })).stage).toBe('LEAD');
    // Moves that do not touch the customer are the deal owner's to make.
    const qualified = await north.execute(move, { id: gid('Deal', crossDeal), stage: 'QUALIFIED', at: '2026-03-01T00:00:00Z' });
    expect(qualified.errors).toBeUndefined();
  });

  it('does not find another team’s deal', async () => {
    const result = await south.execute(move, { id: gid('Deal', a.deals.alphaTwo), stage: 'QUALIFIED' });
    expect(result.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });
});

describe('company-wide writes with a team-limited key', () => {
  it('refuses recordSpend with FORBIDDEN and writes nothing', async () => {
    const before = await rowCounts(db);
    const result = await north.execute('mutation { recordSpend(input: { category: MARKETING, date: "2026-03-01", amount: "10.00" }) { id } }');
    expect(result.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(result.errors?.[0]?.message).toMatch(/Spend records are company-wide/);
    expect(await rowCounts(db)).toEqual(before);
  });

  it('refuses updateWorkspace with FORBIDDEN, even to an admin of a team', async () => {
    const teamAdmin = createTestClient(db, a.workspaceId, {}, { role: 'ADMIN', teamId: a.teams.north });
    const result = await teamAdmin.execute('mutation { updateWorkspace(name: "Hijacked") { name } }');
    expect(result.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect((await db.prisma.workspace.findUniqueOrThrow({ where: { id: a.workspaceId } })).name).toBe('Acme');
  });
});
