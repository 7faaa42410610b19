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

const createDeal = /* GraphQL */ `
  mutation CreateDeal($input: CreateDealInput!) {
    createDeal(input: $input) {
      id title amount stage type productLine createdAt closedAt expectedCloseAt
      owner { name } customer { name } campaign { name }
      stageHistory { fromStage toStage at }
    }
  }
`;

describe('createDeal', () => {
  const valid = () => ({
    customerId: gid('Customer', a.customers.alpha),
    title: 'Renewal 2027',
    amount: '1234.50',
    type: 'RENEWAL',
    productLine: 'analytics',
    campaignId: gid('Campaign', a.campaign),
    createdAt: '2026-03-02T09:00:00Z',
    expectedCloseAt: '2026-04-30T00:00:00Z',
  });

  it('creates the deal at LEAD with its first stage event, owned by the customer’s owner by default', async () => {
    const result = await client.execute<{ createDeal: Record<string, unknown> }>(createDeal, { input: valid() });
    expect(result.errors).toBeUndefined();
    expect(result.data?.createDeal).toMatchObject({
      title: 'Renewal 2027',
      amount: '1234.5',
      stage: 'LEAD',
      type: 'RENEWAL',
      productLine: 'analytics',
      createdAt: '2026-03-02T09:00:00.000Z',
      closedAt: null,
      expectedCloseAt: '2026-04-30T00:00:00.000Z',
      owner: { name: 'Ada' },
      customer: { name: 'Alpha' },
      campaign: { name: 'Spring' },
      stageHistory: [{ fromStage: null, toStage: 'LEAD', at: '2026-03-02T09:00:00.000Z' }],
    });
    const row = await db.prisma.deal.findFirstOrThrow({ where: { title: 'Renewal 2027' } });
    expect(row.workspaceId).toBe(a.workspaceId);
  });

  it('takes a named owner and defaults createdAt to now and type to NEW', async () => {
    const before = Date.now();
    const input = Object.fromEntries(Object.entries(valid()).filter(([key]) => !['createdAt', 'expectedCloseAt', 'type'].includes(key)));
    const result = await client.execute<{ createDeal: { owner: { name: string }; type: string; createdAt: string } }>(createDeal, {
      input: { ...input, title: 'Defaults', ownerId: gid('User', a.users.cy) },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.createDeal.owner.name).toBe('Cy');
    expect(result.data?.createDeal.type).toBe('NEW');
    expect(Date.parse(result.data!.createDeal.createdAt)).toBeGreaterThanOrEqual(before - 1);
  });

  const badCases: Array<[string, Record<string, unknown>, string]> = [
    ['an empty title', { title: '  ' }, 'input.title'],
    ['a negative amount', { amount: '-5' }, 'input.amount'],
    ['an amount with 3 decimal places', { amount: '10.125' }, 'input.amount'],
    ['an amount that is not a number', { amount: 'ten' }, 'input.amount'],
    ['an empty product line', { productLine: '' }, 'input.productLine'],
    ['an expected close before createdAt', { expectedCloseAt: '2026-03-01T00:00:00Z' }, 'input.expectedCloseAt'],
    ['a customer ID that is a user’s', { customerId: gid('User', 1) }, 'input.customerId'],
    ['an owner ID that is a team’s', { ownerId: gid('Team', 1) }, 'input.ownerId'],
  ];
  it.each(badCases)('rejects %s with BAD_USER_INPUT naming the field, writing nothing', async (_name, patch, field) => {
    const before = await rowCounts(db);
    const result = await client.execute(createDeal, { input: { ...valid(), ...patch } });
    expectError(result, 'BAD_USER_INPUT', field);
    expect(await rowCounts(db)).toEqual(before);
  });

  const missing = (): Array<[string, Record<string, unknown>, string]> => [
    ['an unknown customer', { customerId: gid('Customer', 999_999) }, 'input.customerId'],
    ['another workspace’s customer', { customerId: gid('Customer', b.customers.alpha) }, 'input.customerId'],
    ['another workspace’s owner', { ownerId: gid('User', b.users.ada) }, 'input.ownerId'],
    ['another workspace’s campaign', { campaignId: gid('Campaign', b.campaign) }, 'input.campaignId'],
  ];
  it('answers NOT_FOUND for unknown and other-workspace IDs, with no hint, writing nothing', async () => {
    for (const [name, patch, field] of missing()) {
      const before = await rowCounts(db);
      const result = await client.execute(createDeal, { input: { ...valid(), ...patch } });
      expectError(result, 'NOT_FOUND', field);
      expect(result.errors![0]!.message, name).not.toMatch(/workspace|exists/i);
      expect(await rowCounts(db)).toEqual(before);
    }
  });
});

const updateDeal = /* GraphQL */ `
  mutation UpdateDeal($id: ID!, $input: UpdateDealInput!) {
    updateDeal(id: $id, input: $input) { id title amount type productLine stage expectedCloseAt owner { name } campaign { name } }
  }
`;

describe('updateDeal', () => {
  it('changes the given fields and keeps the others', async () => {
    const result = await client.execute<{ updateDeal: Record<string, unknown> }>(updateDeal, {
      id: gid('Deal', a.deals.alphaTwo),
      input: { title: 'Alpha two, bigger', amount: '750', ownerId: gid('User', a.users.ben), campaignId: gid('Campaign', a.campaign) },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.updateDeal).toMatchObject({
      title: 'Alpha two, bigger',
      amount: '750',
      type: 'NEW',
      productLine: 'core',
      stage: 'LEAD',
      owner: { name: 'Ben' },
      campaign: { name: 'Spring' },
    });
  });

  it('clears owner, campaign and expected close given as null', async () => {
    const result = await client.execute<{ updateDeal: Record<string, unknown> }>(updateDeal, {
      id: gid('Deal', a.deals.alphaTwo),
      input: { ownerId: null, campaignId: null, expectedCloseAt: null },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.updateDeal).toMatchObject({ owner: null, campaign: null, expectedCloseAt: null });
  });

  const badCases: Array<[string, Record<string, unknown>, string]> = [
    ['a null title', { title: null }, 'input.title'],
    ['a null amount', { amount: null }, 'input.amount'],
    ['an amount with 3 places', { amount: '1.001' }, 'input.amount'],
    ['an expected close before the deal’s createdAt', { expectedCloseAt: '2026-01-01T00:00:00Z' }, 'input.expectedCloseAt'],
  ];
  it.each(badCases)('rejects %s with BAD_USER_INPUT, changing nothing', async (_name, input, field) => {
    const before = await db.prisma.deal.findUniqueOrThrow({ where: { id: a.deals.betaOne } });
    const result = await client.execute(updateDeal, { id: gid('Deal', a.deals.betaOne), input: { title: 'Changed', ...input } });
    expectError(result, 'BAD_USER_INPUT', field);
    expect(await db.prisma.deal.findUniqueOrThrow({ where: { id: a.deals.betaOne } })).toEqual(before);
  });

  it('answers NOT_FOUND for an unknown deal, another workspace’s deal and another workspace’s owner', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [gid('Deal', 999_999), { title: 'x' }, 'id'],
      [gid('Deal', b.deals.alphaOne), { title: 'x' }, 'id'],
      [gid('Deal', a.deals.betaOne), { ownerId: gid('User', b.users.cy) }, 'input.ownerId'],
    ];
    for (const [id, input, field] of cases) {
      const result = await client.execute(updateDeal, { id, input });
      expectError(result, 'NOT_FOUND', field);
    }
    const foreign = await db.prisma.deal.findUniqueOrThrow({ where: { id: b.deals.alphaOne } });
    expect(foreign.title).toBe('Alpha one');
  });
});
