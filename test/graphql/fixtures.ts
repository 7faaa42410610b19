import type { ExecutionResult } from 'graphql';
import { expect } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';

/** A Relay global ID as the API hands it out. */
export function gid(typename: string, id: number): string {
  return Buffer.from(`${typename}:${id}`).toString('base64');
}

export interface WorkspaceFixture {
  workspaceId: number;
  teams: { north: number; south: number };
  users: { ada: number; ben: number; cy: number };
  customers: { alpha: number; beta: number; gamma: number };
  deals: { alphaOne: number; alphaTwo: number; betaOne: number };
  campaign: number;
  ticket: number;
}

/**
 * One small workspace, every row hand-placed so that tests can state exact
 * values. Two calls give two workspaces with the same shape.
 */
export async function seedWorkspace(db: Database, name: string): Promise<WorkspaceFixture> {
  const { prisma } = db;
  const { id: workspaceId } = await prisma.workspace.create({ data: { name, timeZone: 'Europe/Berlin' } });
  const w = { workspaceId };
  const north = await prisma.team.create({ data: { ...w, name: 'North' } });
  const south = await prisma.team.create({ data: { ...w, name: 'South' } });
  const user = (userName: string, teamId: number) =>
    prisma.user.create({ data: { ...w, name: userName, email: `${userName.toLowerCase()}@${name.toLowerCase()}.test`, teamId } });
  const ada = await user('Ada', north.id);
  const ben = await user('Ben', north.id);
  const cy = await user('Cy', south.id);
  const campaign = await prisma.campaign.create({
    data: { ...w, name: 'Spring', channel: 'social_ads', startsAt: new Date('2026-03-01T00:00:00Z') },
  });
  const customer = (customerName: string, region: string, ownerId: number, day: number) =>
    prisma.customer.create({
      data: { ...w, name: customerName, industry: 'software', region, channel: 'search', ownerId, createdAt: new Date(Date.UTC(2026, 0, day)) },
    });
  const alpha = await customer('Alpha', 'DE', ada.id, 1);
  const beta = await customer('Beta', 'FR', cy.id, 2);
  const gamma = await customer('Gamma', 'DE', ben.id, 3);
  const deal = async (customerId: number, ownerId: number, title: string, amount: string, day: number) => {
    const createdAt = new Date(Date.UTC(2026, 1, day));
    const row = await prisma.deal.create({ data: { ...w, customerId, ownerId, title, amount, productLine: 'core', createdAt } });
    await prisma.dealStageEvent.create({ data: { ...w, dealId: row.id, fromStage: null, toStage: 'LEAD', at: createdAt } });
    return row.id;
  };
  const alphaOne = await deal(alpha.id, ada.id, 'Alpha one', '1000.00', 1);
  const alphaTwo = await deal(alpha.id, ada.id, 'Alpha two', '500.50', 2);
  const betaOne = await deal(beta.id, cy.id, 'Beta one', '250.25', 3);
  const ticket = await prisma.ticket.create({
    data: { ...w, customerId: alpha.id, kind: 'COMPLAINT', subject: 'Slow', openedAt: new Date('2026-02-10T10:00:00Z') },
  });
  return {
    workspaceId,
    teams: { north: north.id, south: south.id },
    users: { ada: ada.id, ben: ben.id, cy: cy.id },
    customers: { alpha: alpha.id, beta: beta.id, gamma: gamma.id },
    deals: { alphaOne, alphaTwo, betaOne },
    campaign: campaign.id,
    ticket: ticket.id,
  };
}

/** Row counts of every workspace-owned table: equal before and after proves nothing was written. */
export async function rowCounts(db: Database): Promise<Record<string, number>> {
  const p = db.prisma;
  const [customers, deals, events, payments, activities, surveys, tickets, spends] = await Promise.all([
    p.customer.count(),
    p.deal.count(),
    p.dealStageEvent.count(),
    p.payment.count(),
    p.activity.count(),
    p.surveyResponse.count(),
    p.ticket.count(),
    p.spend.count(),
  ]);
  return { customers, deals, events, payments, activities, surveys, tickets, spends };
}

type Result = ExecutionResult<unknown> & { status: number };

/** Asserts one error with `code`, naming `field` (in the message and extensions.field). */
export function expectError(result: Result, code: 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT', field: string): void {
  expect(result.errors, JSON.stringify(result.errors)).toHaveLength(1);
  const error = result.errors![0]!;
  expect(error.extensions?.['code'], error.message).toBe(code);
  expect(error.message).toContain(field);
  // Variable coercion errors name the path in the message only.
  if (error.extensions?.['field'] !== undefined) expect(error.extensions['field']).toBe(field);
}

/** A fresh database with workspaces Acme (`a`, the client's) and Bolt (`b`, for scoping checks). */
export async function twoWorkspaces(): Promise<{ db: Database; client: TestClient; a: WorkspaceFixture; b: WorkspaceFixture }> {
  const db = await createTestDatabase();
  const a = await seedWorkspace(db, 'Acme');
  const b = await seedWorkspace(db, 'Bolt');
  return { db, client: createTestClient(db, a.workspaceId), a, b };
}
