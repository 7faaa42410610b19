import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { TestClient } from '../support/server.js';
import type { WorkspaceFixture } from './fixtures.js';
import { expectError, gid, rowCounts, twoWorkspaces } from './fixtures.js';

let db: Database;
let client: TestClient;
let a: WorkspaceFixture;
let b: WorkspaceFixture;

beforeAll(async () => {
  ({ db, client, a, b } = await twoWorkspaces());
});
afterAll(async () => db.close());

const move = /* GraphQL */ `
  mutation Move($id: ID!, $stage: DealStage!, $at: DateTime, $lostReason: String) {
    moveDealStage(id: $id, stage: $stage, at: $at, lostReason: $lostReason) {
      stage closedAt lostReason
      customer { status convertedAt churnedAt }
      stageHistory { fromStage toStage at }
    }
  }
`;

interface Moved {
  stage: string;
  closedAt: string | null;
  lostReason: string | null;
  customer: { status: string; convertedAt: string | null; churnedAt: string | null };
  stageHistory: Array<{ fromStage: string | null; toStage: string; at: string }>;
}

async function moveOk(dealId: number, stage: string, at?: string, lostReason?: string): Promise<Moved> {
  const result = await client.execute<{ moveDealStage: Moved }>(move, { id: gid('Deal', dealId), stage, at, lostReason });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.moveDealStage;
}

const churn = /* GraphQL */ `
  mutation Churn($id: ID!, $at: DateTime!) { markCustomerChurned(id: $id, at: $at) { status convertedAt churnedAt } }
`;

describe('moveDealStage keeps deal, history and customer consistent', () => {
  it('walks a deal through the funnel, wins, un-wins and reopens', async () => {
    const qualified = await moveOk(a.deals.alphaOne, 'QUALIFIED', '2026-02-05T00:00:00Z');
    expect(qualified).toMatchObject({ stage: 'QUALIFIED', closedAt: null, customer: { status: 'LEAD', convertedAt: null } });

    const won = await moveOk(a.deals.alphaOne, 'WON', '2026-03-01T00:00:00Z');
    expect(won).toMatchObject({
      stage: 'WON',
      closedAt: '2026-03-01T00:00:00.000Z',
      customer: { status: 'CUSTOMER', convertedAt: '2026-03-01T00:00:00.000Z' },
    });

    // An earlier win of another deal moves the conversion earlier.
    const earlier = await moveOk(a.deals.alphaTwo, 'WON', '2026-02-20T00:00:00Z');
    expect(earlier.customer.convertedAt).toBe('2026-02-20T00:00:00.000Z');

    // Un-winning it (WON → LOST) recomputes conversion from the remaining win.
    const lost = await moveOk(a.deals.alphaTwo, 'LOST', '2026-03-05T00:00:00Z', 'price');
    expect(lost).toMatchObject({
      stage: 'LOST',
      closedAt: '2026-03-05T00:00:00.000Z',
      lostReason: 'price',
      customer: { status: 'CUSTOMER', convertedAt: '2026-03-01T00:00:00.000Z' },
    });

    // Reopening the last win: no won deal is left, so the customer is a lead again.
    const reopened = await moveOk(a.deals.alphaOne, 'NEGOTIATION', '2026-03-10T00:00:00Z');
    expect(reopened).toMatchObject({ stage: 'NEGOTIATION', closedAt: null, customer: { status: 'LEAD', convertedAt: null } });
    expect(reopened.stageHistory).toEqual([
      { fromStage: null, toStage: 'LEAD', at: '2026-02-01T00:00:00.000Z' },
      { fromStage: 'LEAD', toStage: 'QUALIFIED', at: '2026-02-05T00:00:00.000Z' },
      { fromStage: 'QUALIFIED', toStage: 'WON', at: '2026-03-01T00:00:00.000Z' },
      { fromStage: 'WON', toStage: 'NEGOTIATION', at: '2026-03-10T00:00:00.000Z' },
    ]);

    // Reopening a lost deal clears closedAt and the reason.
    const revived = await moveOk(a.deals.alphaTwo, 'QUALIFIED', '2026-03-11T00:00:00Z');
    expect(revived).toMatchObject({ stage: 'QUALIFIED', closedAt: null, lostReason: null });
  });

  const badMoves = (): Array<[string, Record<string, unknown>, string]> => [
    ['a move to the current stage', { stage: 'QUALIFIED' }, 'stage'],
    ['LOST without a reason', { stage: 'LOST' }, 'lostReason'],
    ['LOST with a blank reason', { stage: 'LOST', lostReason: '   ' }, 'lostReason'],
    ['a reason for a WON deal', { stage: 'WON', lostReason: 'price' }, 'lostReason'],
    ['a move dated before the last stage event', { stage: 'PROPOSAL', at: '2026-03-10T23:59:59Z' }, 'at'],
    ['a move dated before the deal was created', { stage: 'PROPOSAL', at: '2025-12-31T00:00:00Z' }, 'at'],
    ['an ID of a customer', { id: gid('Customer', a.customers.alpha), stage: 'PROPOSAL' }, 'id'],
  ];
  it('rejects bad moves with BAD_USER_INPUT naming the argument, writing nothing', async () => {
    for (const [name, args, field] of badMoves()) {
      const before = await rowCounts(db);
      const deal = await db.prisma.deal.findUniqueOrThrow({ where: { id: a.deals.alphaTwo } });
      const result = await client.execute(move, { id: gid('Deal', a.deals.alphaTwo), ...args });
      expectError(result, 'BAD_USER_INPUT', field);
      expect(await rowCounts(db), name).toEqual(before);
      expect(await db.prisma.deal.findUniqueOrThrow({ where: { id: a.deals.alphaTwo } }), name).toEqual(deal);
    }
  });

  it('answers NOT_FOUND for an unknown deal and another workspace’s deal, which stays untouched', async () => {
    for (const id of [999_999, b.deals.alphaOne]) {
      const before = await rowCounts(db);
      const result = await client.execute(move, { id: gid('Deal', id), stage: 'WON', at: '2026-03-01T00:00:00Z' });
      expectError(result, 'NOT_FOUND', 'id');
      expect(await rowCounts(db)).toEqual(before);
    }
    expect((await db.prisma.deal.findUniqueOrThrow({ where: { id: b.deals.alphaOne } })).stage).toBe('LEAD');
  });
});

describe('markCustomerChurned and reactivation', () => {
  it('churns only converted customers, not before their last win, and a later win reactivates', async () => {
    await moveOk(a.deals.betaOne, 'WON', '2026-03-01T00:00:00Z');
    const beta = gid('Customer', a.customers.beta);

    expectError(await client.execute(churn, { id: beta, at: '2026-02-15T00:00:00Z' }), 'BAD_USER_INPUT', 'at');
    expectError(await client.execute(churn, { id: gid('Customer', a.customers.gamma), at: '2026-06-01T00:00:00Z' }), 'BAD_USER_INPUT', 'id');
    expectError(await client.execute(churn, { id: gid('Customer', b.customers.beta), at: '2026-06-01T00:00:00Z' }), 'NOT_FOUND', 'id');
    expectError(await client.execute(churn, { id: gid('Customer', 999_999), at: '2026-06-01T00:00:00Z' }), 'NOT_FOUND', 'id');

    const churned = await client.execute<{ markCustomerChurned: unknown }>(churn, { id: beta, at: '2026-06-01T00:00:00Z' });
    expect(churned.errors).toBeUndefined();
    expect(churned.data?.markCustomerChurned).toEqual({
      status: 'CHURNED',
      convertedAt: '2026-03-01T00:00:00.000Z',
      churnedAt: '2026-06-01T00:00:00.000Z',
    });
    expectError(await client.execute(churn, { id: beta, at: '2026-07-01T00:00:00Z' }), 'BAD_USER_INPUT', 'id');

    // A win dated after the churn: the customer bought again.
    const comeback = await db.prisma.deal.create({
      data: { workspaceId: a.workspaceId, customerId: a.customers.beta, title: 'Comeback', amount: '10', productLine: 'core', createdAt: new Date('2026-07-01T00:00:00Z') },
    });
    const reactivated = await moveOk(comeback.id, 'WON', '2026-07-15T00:00:00Z');
    expect(reactivated.customer).toEqual({ status: 'CUSTOMER', convertedAt: '2026-03-01T00:00:00.000Z', churnedAt: null });

    // Churn again; then a back-dated win from before the churn leaves the
    // churn standing and only moves the conversion earlier.
    expect((await client.execute(churn, { id: beta, at: '2026-08-01T00:00:00Z' })).errors).toBeUndefined();
    const backdated = await db.prisma.deal.create({
      data: { workspaceId: a.workspaceId, customerId: a.customers.beta, title: 'Old', amount: '10', productLine: 'core', createdAt: new Date('2026-01-10T00:00:00Z') },
    });
    const late = await moveOk(backdated.id, 'WON', '2026-02-20T00:00:00Z');
    expect(late.customer).toEqual({ status: 'CHURNED', convertedAt: '2026-02-20T00:00:00.000Z', churnedAt: '2026-08-01T00:00:00.000Z' });

    // Taking every win back: never a customer, so not churned either.
    for (const id of [backdated.id, comeback.id, a.deals.betaOne]) await moveOk(id, 'NEGOTIATION', '2026-09-01T00:00:00Z');
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { id: a.customers.beta } });
    expect(customer).toMatchObject({ status: 'LEAD', convertedAt: null, churnedAt: null });
  });
});

describe('concurrent moves of one deal', () => {
  it('leave a chained history whose last event is the deal’s stage', async () => {
    const deal = await db.prisma.deal.create({
      data: { workspaceId: a.workspaceId, customerId: a.customers.gamma, title: 'Race', amount: '1', productLine: 'core', createdAt: new Date('2026-01-05T00:00:00Z') },
    });
    await db.prisma.dealStageEvent.create({ data: { workspaceId: a.workspaceId, dealId: deal.id, toStage: 'LEAD', at: deal.createdAt } });
    const targets = ['QUALIFIED', 'NEEDS_ANALYSIS', 'WON', 'PROPOSAL', 'LOST', 'NEGOTIATION', 'WON', 'QUALIFIED', 'WON', 'PROPOSAL'];
    const results = await Promise.all(
      targets.map((stage) =>
        client.execute(move, { id: gid('Deal', deal.id), stage, ...(stage === 'LOST' ? { lostReason: 'race' } : {}) }),
      ),
    );
    // A move to the stage the deal happens to be at is refused; nothing else fails.
    const failures = results.filter((r) => r.errors);
    for (const failure of failures) expectError(failure, 'BAD_USER_INPUT', 'stage');

    const events = await db.prisma.dealStageEvent.findMany({ where: { dealId: deal.id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    expect(events).toHaveLength(1 + targets.length - failures.length);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.fromStage).toBe(events[i - 1]!.toStage);
      expect(events[i]!.id).toBeGreaterThan(events[i - 1]!.id);
    }
    const after = await db.prisma.deal.findUniqueOrThrow({ where: { id: deal.id } });
    const last = events.at(-1)!;
    expect(after.stage).toBe(last.toStage);
    expect(after.closedAt).toEqual(last.toStage === 'WON' || last.toStage === 'LOST' ? last.at : null);
    const gamma = await db.prisma.customer.findUniqueOrThrow({ where: { id: a.customers.gamma } });
    expect(gamma.convertedAt).toEqual(after.stage === 'WON' ? after.closedAt : null);
  });

  it('let exactly one of five simultaneous wins through', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => client.execute(move, { id: gid('Deal', a.deals.alphaTwo), stage: 'WON' })),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    const events = await db.prisma.dealStageEvent.findMany({ where: { dealId: a.deals.alphaTwo, toStage: 'WON' } });
    // One from the funnel walk above, one from this race.
    expect(events).toHaveLength(2);
  });
});
