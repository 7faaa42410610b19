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

type Case = [name: string, patch: Record<string, unknown>, code: 'BAD_USER_INPUT' | 'NOT_FOUND', field: string];

/** Runs each case against `mutation` with `valid()` patched, expecting the error and no row written. */
async function expectRejections(mutation: string, valid: () => Record<string, unknown>, cases: Case[]): Promise<void> {
  for (const [name, patch, code, field] of cases) {
    const before = await rowCounts(db);
    const result = await client.execute(mutation, { input: { ...valid(), ...patch } });
    expectError(result, code, field);
    expect(await rowCounts(db), name).toEqual(before);
  }
}

describe('recordPayment', () => {
  const mutation = /* GraphQL */ `
    mutation Pay($input: RecordPaymentInput!) { recordPayment(input: $input) { id amount paidAt customer { name } deal { title } } }
  `;
  const valid = () => ({ customerId: gid('Customer', a.customers.alpha), dealId: gid('Deal', a.deals.alphaOne), amount: '99.90', paidAt: '2026-03-03T12:00:00Z' });

  it('records a payment for a deal of the customer', async () => {
    const result = await client.execute<{ recordPayment: Record<string, unknown> }>(mutation, { input: valid() });
    expect(result.errors).toBeUndefined();
    expect(result.data?.recordPayment).toMatchObject({ amount: '99.9', paidAt: '2026-03-03T12:00:00.000Z', customer: { name: 'Alpha' }, deal: { title: 'Alpha one' } });
  });

  it('rejects bad input and foreign IDs, writing nothing', async () => {
    await expectRejections(mutation, valid, [
      ['zero', { amount: '0' }, 'BAD_USER_INPUT', 'input.amount'],
      ['negative', { amount: '-1' }, 'BAD_USER_INPUT', 'input.amount'],
      ['three places', { amount: '1.005' }, 'BAD_USER_INPUT', 'input.amount'],
      ['a deal of another customer', { dealId: gid('Deal', a.deals.betaOne) }, 'BAD_USER_INPUT', 'input.dealId'],
      ['a deal ID that is a ticket’s', { dealId: gid('Ticket', a.ticket) }, 'BAD_USER_INPUT', 'input.dealId'],
      ['an unknown customer', { customerId: gid('Customer', 999_999) }, 'NOT_FOUND', 'input.customerId'],
      ['another workspace’s customer', { customerId: gid('Customer', b.customers.alpha), dealId: null }, 'NOT_FOUND', 'input.customerId'],
      ['another workspace’s deal', { dealId: gid('Deal', b.deals.alphaOne) }, 'NOT_FOUND', 'input.dealId'],
    ]);
  });
});

describe('recordSurveyResponse', () => {
  const mutation = /* GraphQL */ `
    mutation Survey($input: RecordSurveyResponseInput!) { recordSurveyResponse(input: $input) { kind score answeredAt comment customer { name } } }
  `;
  const valid = () => ({ customerId: gid('Customer', a.customers.beta), kind: 'NPS', score: 0, answeredAt: '2026-03-04T08:00:00Z', comment: 'Too slow' });

  it('records NPS 0 and 10 and CSAT 1 and 5, the ends of each scale', async () => {
    for (const [kind, score] of [['NPS', 0], ['NPS', 10], ['CSAT', 1], ['CSAT', 5]] as const) {
      const result = await client.execute<{ recordSurveyResponse: Record<string, unknown> }>(mutation, { input: { ...valid(), kind, score } });
      expect(result.errors).toBeUndefined();
      expect(result.data?.recordSurveyResponse).toMatchObject({ kind, score, customer: { name: 'Beta' } });
    }
  });

  it('says which range applies to which kind, and writes nothing', async () => {
    await expectRejections(mutation, valid, [
      ['NPS 11', { score: 11 }, 'BAD_USER_INPUT', 'input.score'],
      ['NPS -1', { score: -1 }, 'BAD_USER_INPUT', 'input.score'],
      ['CSAT 0', { kind: 'CSAT', score: 0 }, 'BAD_USER_INPUT', 'input.score'],
      ['CSAT 6', { kind: 'CSAT', score: 6 }, 'BAD_USER_INPUT', 'input.score'],
      ['an empty comment', { comment: '' }, 'BAD_USER_INPUT', 'input.comment'],
      ['another workspace’s customer', { customerId: gid('Customer', b.customers.beta) }, 'NOT_FOUND', 'input.customerId'],
    ]);
    const csat = await client.execute(mutation, { input: { ...valid(), kind: 'CSAT', score: 7 } });
    expect(csat.errors?.[0]?.message).toContain('input.score: must be between 1 and 5 for CSAT');
    const nps = await client.execute(mutation, { input: { ...valid(), kind: 'NPS', score: 11 } });
    expect(nps.errors?.[0]?.message).toContain('input.score: must be between 0 and 10 for NPS');
  });
});

describe('openTicket and recordTicketEvent', () => {
  const open = /* GraphQL */ `
    mutation Open($input: OpenTicketInput!) { openTicket(input: $input) { id kind subject openedAt firstResponseAt resolvedAt } }
  `;
  const event = /* GraphQL */ `
    mutation Event($id: ID!, $event: TicketEvent!, $at: DateTime!) {
      recordTicketEvent(id: $id, event: $event, at: $at) { openedAt firstResponseAt resolvedAt }
    }
  `;
  const valid = () => ({ customerId: gid('Customer', a.customers.gamma), kind: 'INCIDENT', subject: 'Outage', openedAt: '2026-03-05T10:00:00Z' });

  it('opens a ticket, then records its first response and resolution in order, once each', async () => {
    const opened = await client.execute<{ openTicket: { id: string; firstResponseAt: null } }>(open, { input: valid() });
    expect(opened.errors).toBeUndefined();
    const id = opened.data!.openTicket.id;
    expect(opened.data?.openTicket).toMatchObject({ kind: 'INCIDENT', subject: 'Outage', firstResponseAt: null });

    expectError(await client.execute(event, { id, event: 'FIRST_RESPONSE', at: '2026-03-05T09:59:59Z' }), 'BAD_USER_INPUT', 'at');
    const responded = await client.execute<{ recordTicketEvent: unknown }>(event, { id, event: 'FIRST_RESPONSE', at: '2026-03-05T10:30:00Z' });
    expect(responded.data?.recordTicketEvent).toEqual({ openedAt: '2026-03-05T10:00:00.000Z', firstResponseAt: '2026-03-05T10:30:00.000Z', resolvedAt: null });
    expectError(await client.execute(event, { id, event: 'FIRST_RESPONSE', at: '2026-03-05T11:00:00Z' }), 'BAD_USER_INPUT', 'event');
    expectError(await client.execute(event, { id, event: 'RESOLVED', at: '2026-03-05T10:15:00Z' }), 'BAD_USER_INPUT', 'at');
    const resolved = await client.execute<{ recordTicketEvent: unknown }>(event, { id, event: 'RESOLVED', at: '2026-03-06T10:00:00Z' });
    expect(resolved.data?.recordTicketEvent).toMatchObject({ resolvedAt: '2026-03-06T10:00:00.000Z' });
    expectError(await client.execute(event, { id, event: 'RESOLVED', at: '2026-03-07T10:00:00Z' }), 'BAD_USER_INPUT', 'event');
    const row = await db.prisma.ticket.findFirstOrThrow({ where: { subject: 'Outage' } });
    expect(row.resolvedAt).toEqual(new Date('2026-03-06T10:00:00Z'));
  });

  it('stores a resolution without a first response as it is (auto-closed, merged, solved without a reply)', async () => {
    const result = await client.execute<{ recordTicketEvent: unknown }>(event, { id: gid('Ticket', a.ticket), event: 'RESOLVED', at: '2026-02-11T10:00:00Z' });
    expect(result.data?.recordTicketEvent).toEqual({ openedAt: '2026-02-10T10:00:00.000Z', firstResponseAt: null, resolvedAt: '2026-02-11T10:00:00.000Z' });
    // A reply recorded afterwards may not come after the resolution.
    const late = await client.execute(event, { id: gid('Ticket', a.ticket), event: 'FIRST_RESPONSE', at: '2026-02-12T10:00:00Z' });
    expectError(late, 'BAD_USER_INPUT', 'at');
    const answered = await client.execute<{ recordTicketEvent: unknown }>(event, { id: gid('Ticket', a.ticket), event: 'FIRST_RESPONSE', at: '2026-02-10T11:00:00Z' });
    expect(answered.data?.recordTicketEvent).toMatchObject({ firstResponseAt: '2026-02-10T11:00:00.000Z', resolvedAt: '2026-02-11T10:00:00.000Z' });
  });

  it('rejects bad tickets and foreign IDs, writing nothing', async () => {
    await expectRejections(open, valid, [
      ['an empty subject', { subject: ' ' }, 'BAD_USER_INPUT', 'input.subject'],
      ['an unknown customer', { customerId: gid('Customer', 999_999) }, 'NOT_FOUND', 'input.customerId'],
      ['another workspace’s customer', { customerId: gid('Customer', b.customers.gamma) }, 'NOT_FOUND', 'input.customerId'],
    ]);
    const foreign = await client.execute(event, { id: gid('Ticket', b.ticket), event: 'FIRST_RESPONSE', at: '2026-02-11T10:00:00Z' });
    expectError(foreign, 'NOT_FOUND', 'id');
    expect((await db.prisma.ticket.findUniqueOrThrow({ where: { id: b.ticket } })).firstResponseAt).toBeNull();
  });
});

describe('recordActivity', () => {
  const mutation = /* GraphQL */ `
    mutation Activity($input: RecordActivityInput!) { recordActivity(input: $input) { type at note user { name } customer { name } deal { title } } }
  `;
  const valid = () => ({
    type: 'CALL',
    userId: gid('User', a.users.ada),
    customerId: gid('Customer', a.customers.alpha),
    dealId: gid('Deal', a.deals.alphaTwo),
    at: '2026-03-02T15:00:00Z',
    note: 'Discussed pricing',
  });

  it('records an activity', async () => {
    const result = await client.execute<{ recordActivity: Record<string, unknown> }>(mutation, { input: valid() });
    expect(result.errors).toBeUndefined();
    expect(result.data?.recordActivity).toEqual({
      type: 'CALL',
      at: '2026-03-02T15:00:00.000Z',
      note: 'Discussed pricing',
      user: { name: 'Ada' },
      customer: { name: 'Alpha' },
      deal: { title: 'Alpha two' },
    });
  });

  it('rejects bad input and foreign IDs, writing nothing', async () => {
    await expectRejections(mutation, valid, [
      ['an empty note', { note: '' }, 'BAD_USER_INPUT', 'input.note'],
      ['a deal of another customer', { dealId: gid('Deal', a.deals.betaOne) }, 'BAD_USER_INPUT', 'input.dealId'],
      ['another workspace’s user', { userId: gid('User', b.users.ada) }, 'NOT_FOUND', 'input.userId'],
      ['another workspace’s deal', { dealId: gid('Deal', b.deals.alphaTwo) }, 'NOT_FOUND', 'input.dealId'],
      ['another workspace’s customer', { customerId: gid('Customer', b.customers.alpha), dealId: null }, 'NOT_FOUND', 'input.customerId'],
    ]);
  });
});

describe('recordSpend', () => {
  const mutation = /* GraphQL */ `
    mutation Spend($input: RecordSpendInput!) { recordSpend(input: $input) { category channel date amount campaign { name } } }
  `;
  const valid = () => ({ category: 'MARKETING', channel: 'social_ads', campaignId: gid('Campaign', a.campaign), date: '2026-03-01', amount: '0' });

  it('records a day’s spend at the start of that day in the workspace’s time zone', async () => {
    const result = await client.execute<{ recordSpend: Record<string, unknown> }>(mutation, { input: valid() });
    expect(result.errors).toBeUndefined();
    // Europe/Berlin is UTC+1 in March before the clocks change.
    expect(result.data?.recordSpend).toEqual({ category: 'MARKETING', channel: 'social_ads', date: '2026-02-28T23:00:00.000Z', amount: '0', campaign: { name: 'Spring' } });
  });

  it('rejects bad input and foreign campaigns, writing nothing', async () => {
    await expectRejections(mutation, valid, [
      ['a negative amount', { amount: '-0.01' }, 'BAD_USER_INPUT', 'input.amount'],
      ['a bad channel', { channel: 'Social Ads' }, 'BAD_USER_INPUT', 'input.channel'],
      ['a date with a time', { date: '2026-03-01T00:00:00Z' }, 'BAD_USER_INPUT', 'input.date'],
      ['a day that does not exist', { date: '2026-02-30' }, 'BAD_USER_INPUT', 'input.date'],
      ['another workspace’s campaign', { campaignId: gid('Campaign', b.campaign) }, 'NOT_FOUND', 'input.campaignId'],
    ]);
  });
});
