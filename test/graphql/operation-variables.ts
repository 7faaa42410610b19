import type { Database } from '../../src/db/client.js';
import type { WorkspaceFixture } from './fixtures.js';
import { gid, seedWorkspace } from './fixtures.js';

/**
 * Variables of the example operations in schema/operations/, keyed by file
 * name, as functions of the fixture so that IDs are real. An operation with
 * required variables needs an entry here (operations.test.ts says so).
 */
export const operationVariables: Record<string, (f: WorkspaceFixture) => Record<string, unknown>> = {
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
  // A dry run: every check and write is done and rolled back, so the other operations see the fixture unchanged.
  'cli-import-records.graphql': () => ({
    batches: [{ type: 'CUSTOMER', rows: [{ externalId: 'ops-import-1', name: 'Initech', industry: 'software', region: 'DE', channel: 'search', createdAt: '2026-01-10T09:00:00Z' }] }],
    dryRun: true,
  }),
  'scorecard.graphql': (f) => ({ teamId: gid('Team', f.teams.north), period: { named: 'THIS_YEAR' }, at: '2026-06-30T00:00:00Z' }),
};

/** Workspace "Acme" (the one the operations run in) beside a second one, "Bolt". */
export async function seedOperationsWorkspace(db: Database): Promise<WorkspaceFixture & { other: WorkspaceFixture }> {
  const fixture = await seedWorkspace(db, 'Acme');
  const other = await seedWorkspace(db, 'Bolt');
  // Alpha converted by winning alphaOne, so that "won deals" and churn have data.
  await db.prisma.deal.update({ where: { id: fixture.deals.alphaOne }, data: { stage: 'WON', closedAt: new Date('2026-03-01T00:00:00Z') } });
  await db.prisma.dealStageEvent.create({
    data: { workspaceId: fixture.workspaceId, dealId: fixture.deals.alphaOne, fromStage: 'LEAD', toStage: 'WON', at: new Date('2026-03-01T00:00:00Z') },
  });
  await db.prisma.customer.update({ where: { id: fixture.customers.alpha }, data: { status: 'CUSTOMER', convertedAt: new Date('2026-03-01T00:00:00Z') } });
  return { ...fixture, other };
}
