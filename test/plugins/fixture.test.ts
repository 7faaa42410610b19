import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createTestDatabase } from '../support/database.js';

let db: Database;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

describe('createFixture', () => {
  it('fills defaults and links rows by name', async () => {
    const fx = await createFixture(db, {
      users: [{ name: 'Ann Lee', team: 'North' }],
      campaigns: [{ name: 'Spring' }],
      customers: [{ name: 'Acme', owner: 'Ann Lee', campaign: 'Spring', convertedAt: '2024-03-01T00:00:00Z' }],
      deals: [{ customer: 'Acme', amount: '1234.56', stage: 'WON', closedAt: new Date('2024-03-02T00:00:00Z') }],
    });
    expect(fx.timeZone).toBe('UTC');
    expect(fx.scope).toEqual({ workspaceId: fx.workspaceId, timeZone: 'UTC' });
    const user = await db.prisma.user.findUniqueOrThrow({ where: { id: fx.ids.users['Ann Lee']! } });
    expect(user).toMatchObject({ teamId: fx.ids.teams['North'], email: 'ann.lee@example.test', workspaceId: fx.workspaceId });
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { id: fx.ids.customers['Acme']! } });
    expect(customer).toMatchObject({ ownerId: user.id, campaignId: fx.ids.campaigns['Spring'], status: 'CUSTOMER', region: 'DE' });
    expect(customer.createdAt.toISOString()).toBe('2000-01-01T00:00:00.000Z');
    // A deal is named after its customer unless named, and owned by the customer's owner.
    const deal = await db.prisma.deal.findUniqueOrThrow({ where: { id: fx.ids.deals['Acme #1']! } });
    expect(deal.ownerId).toBe(user.id);
    expect(deal.amount.toString()).toBe('1234.56');
  });

  it('keeps workspaces apart', async () => {
    const a = await createFixture(db, { customers: [{ name: 'Same' }] });
    const b = await createFixture(db, { workspace: { timeZone: 'Europe/Berlin' }, customers: [{ name: 'Same' }] });
    expect(a.workspaceId).not.toBe(b.workspaceId);
    expect(b.timeZone).toBe('Europe/Berlin');
  });

  it('names what it cannot resolve', async () => {
    const workspacesBefore = await db.prisma.workspace.count();
    await expect(createFixture(db, { customers: [{ name: 'Acme', owner: 'Nobody' }] })).rejects.toThrow(/unknown user "Nobody"/);
    await expect(createFixture(db, { customers: [{ name: 'A' }], deals: [{ customer: 'A', amount: '1.234' }] })).rejects.toThrow(/at most 2 places/);
    await expect(createFixture(db, { customers: [{ name: 'A' }], surveyResponses: [{ customer: 'A', kind: 'CSAT', score: 0, answeredAt: '2024-01-01' }] })).rejects.toThrow(/CSAT score/);
    await expect(createFixture(db, { customers: [{ name: 'A' }, { name: 'A' }] })).rejects.toThrow(/two customers are named "A"/);
    // All or nothing: none of these left a workspace behind.
    expect(await db.prisma.workspace.count()).toBe(workspacesBefore);
  });
});
