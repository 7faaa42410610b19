import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { OperationDefinitionNode } from 'graphql';
import { Kind, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import type { WorkspaceFixture } from './fixtures.js';
import { gid, seedWorkspace } from './fixtures.js';

/**
 * Runs every example operation in schema/operations/ (the README shows
 * them) against a seeded workspace and requires an answer without errors.
 * New files are picked up by themselves; one whose operation has required
 * variables needs an entry in `variables` below, keyed by file name. Entries
 * are functions of the fixture (see fixtures.ts) so that IDs are real.
 * Files run in name order on one database, so mutations here must not
 * depend on or break each other.
 */
const variables: Record<string, (f: WorkspaceFixture) => Record<string, unknown>> = {
  'customers-page.graphql': () => ({ first: 2, filter: { region: ['DE'] } }),
  'won-deals.graphql': () => ({ closedAt: { from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' } }),
  'deal-with-history.graphql': (f) => ({ id: gid('Deal', f.deals.alphaOne) }),
  'create-deal.graphql': (f) => ({
    input: {
      customerId: gid('Customer', f.customers.gamma),
      title: 'Analytics add-on',
      amount: '4800.00',
      type: 'UPSELL',
      productLine: 'analytics',
      createdAt: '2026-03-02T09:00:00Z',
      expectedCloseAt: '2026-04-30T00:00:00Z',
    },
  }),
  'update-deal.graphql': (f) => ({ id: gid('Deal', f.deals.betaOne), input: { amount: '300.00', expectedCloseAt: '2026-05-31T00:00:00Z' } }),
  'move-deal-stage.graphql': (f) => ({ id: gid('Deal', f.deals.alphaTwo), stage: 'QUALIFIED', at: '2026-02-10T10:00:00Z' }),
  'record-payment.graphql': (f) => ({
    input: { customerId: gid('Customer', f.customers.alpha), dealId: gid('Deal', f.deals.alphaOne), amount: '1000.00', paidAt: '2026-03-15T00:00:00Z' },
  }),
  'record-activity.graphql': (f) => ({
    input: { type: 'MEETING', userId: gid('User', f.users.cy), customerId: gid('Customer', f.customers.beta), at: '2026-03-03T14:00:00Z', note: 'Demo' },
  }),
  'record-survey-response.graphql': (f) => ({
    input: { customerId: gid('Customer', f.customers.alpha), kind: 'NPS', score: 9, answeredAt: '2026-03-20T08:00:00Z', comment: 'Great support' },
  }),
  'open-ticket.graphql': (f) => ({ input: { customerId: gid('Customer', f.customers.beta), kind: 'REQUEST', subject: 'Export to CSV', openedAt: '2026-03-04T09:00:00Z' } }),
  'record-ticket-event.graphql': (f) => ({ id: gid('Ticket', f.ticket), event: 'FIRST_RESPONSE', at: '2026-02-10T11:00:00Z' }),
  'record-spend.graphql': (f) => ({ input: { category: 'MARKETING', channel: 'social_ads', campaignId: gid('Campaign', f.campaign), date: '2026-03-01', amount: '1200.00' } }),
  'mark-customer-churned.graphql': (f) => ({ id: gid('Customer', f.customers.alpha), at: '2026-09-30T00:00:00Z' }),
  'create-goal.graphql': (f) => ({
    input: { kpiKey: 'won_revenue', target: '5000', period: { named: 'THIS_QUARTER' }, ownerId: gid('User', f.users.ada), scope: { region: ['DE'] }, description: 'Two demos a week' },
  }),
  'scorecard.graphql': (f) => ({ teamId: gid('Team', f.teams.north), period: { named: 'THIS_YEAR' }, at: '2026-06-30T00:00:00Z' }),
};

const folder = path.resolve(import.meta.dirname, '../../schema/operations');
const files = readdirSync(folder).filter((name) => name.endsWith('.graphql')).sort();

function theOperation(name: string, source: string): OperationDefinitionNode {
  const operations = parse(source).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  expect(operations, `${name} must hold exactly one operation`).toHaveLength(1);
  return operations[0]!;
}

let db: Database;
let client: TestClient;
let fixture: WorkspaceFixture;

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await seedWorkspace(db, 'Acme');
  await seedWorkspace(db, 'Bolt');
  // Alpha converted by winning alphaOne, so that "won deals" and churn have data.
  await db.prisma.deal.update({ where: { id: fixture.deals.alphaOne }, data: { stage: 'WON', closedAt: new Date('2026-03-01T00:00:00Z') } });
  await db.prisma.dealStageEvent.create({
    data: { workspaceId: fixture.workspaceId, dealId: fixture.deals.alphaOne, fromStage: 'LEAD', toStage: 'WON', at: new Date('2026-03-01T00:00:00Z') },
  });
  await db.prisma.customer.update({ where: { id: fixture.customers.alpha }, data: { status: 'CUSTOMER', convertedAt: new Date('2026-03-01T00:00:00Z') } });
  client = createTestClient(db, fixture.workspaceId);
});
afterAll(async () => db.close());

describe('schema/operations', () => {
  it('has example operations', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s runs without errors', async (name) => {
    const source = readFileSync(path.join(folder, name), 'utf8');
    const operation = theOperation(name, source);
    const required = (operation.variableDefinitions ?? [])
      .filter((v) => v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue)
      .map((v) => `$${v.variable.name.value}`);
    const entry = variables[name];
    if (!entry && required.length > 0) {
      throw new Error(
        `${name} needs variables (${required.join(', ')}): add an entry '${name}' to the variables map in test/graphql/operations.test.ts.`,
      );
    }
    const result = await client.execute<Record<string, unknown>>(source, entry ? entry(fixture) : {});
    expect(result.errors, `${name}: ${JSON.stringify(result.errors)}`).toBeUndefined();
    for (const [field, value] of Object.entries(result.data ?? {})) expect(value, `${name}: ${field}`).not.toBeNull();
  });
});
