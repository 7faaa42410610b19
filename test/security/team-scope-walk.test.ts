import { isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { schema } from '../../src/graphql/schema.js';
import { createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient, mintTestKey } from '../support/server.js';
import type { WorkspaceFixture } from '../graphql/fixtures.js';
import { gid, seedWorkspace } from '../graphql/fixtures.js';
import type { SeenRecord } from './relation-walk.js';
import { recordsIn, relationWalk } from './relation-walk.js';

/**
 * Acme's North and South teams share customers the way real CRMs do: a
 * deal of North on South's customer and the reverse, with payments,
 * activities, tickets, surveys, stage events, goals and keys on both
 * sides; a user of no team; and a second workspace, Bolt.
 */
async function mixedOwnership(db: Database): Promise<{ a: WorkspaceFixture; b: WorkspaceFixture; ids: string[] }> {
  const a = await seedWorkspace(db, 'Acme');
  const b = await seedWorkspace(db, 'Bolt');
  const p = db.prisma;
  const w = { workspaceId: a.workspaceId };
  const at = new Date('2026-02-15T10:00:00Z');
  const deal = (customerId: number, ownerId: number, title: string) =>
    p.deal.create({ data: { ...w, customerId, ownerId, title, amount: '10.00', productLine: 'core', createdAt: at } });
  // North's deal on South's customer; South's deal on North's customer.
  const northOnSouth = await deal(a.customers.beta, a.users.ada, 'North on South');
  const southOnNorth = await deal(a.customers.alpha, a.users.cy, 'South on North');
  for (const { id } of [northOnSouth, southOnNorth]) await p.dealStageEvent.create({ data: { ...w, dealId: id, toStage: 'LEAD', at } });
  const loner = await p.user.create({ data: { ...w, name: 'Dan', email: 'dan@acme.test' } });
  await p.customer.create({ data: { ...w, name: 'Orphan', industry: 'retail', region: 'IT', channel: 'search', ownerId: loner.id } });
  for (const [customerId, dealId] of [
    [a.customers.beta, northOnSouth.id],
    [a.customers.alpha, southOnNorth.id],
    [a.customers.alpha, a.deals.alphaOne],
    [a.customers.beta, a.deals.betaOne],
  ] as const) {
    await p.payment.create({ data: { ...w, customerId, dealId, amount: '5.00', paidAt: at } });
  }
  await p.activity.create({ data: { ...w, type: 'CALL', userId: a.users.cy, customerId: a.customers.alpha, dealId: southOnNorth.id, at } });
  await p.activity.create({ data: { ...w, type: 'MEETING', userId: a.users.ada, customerId: a.customers.beta, dealId: northOnSouth.id, at } });
  await p.ticket.create({ data: { ...w, customerId: a.customers.beta, kind: 'REQUEST', subject: 'South ticket', openedAt: at } });
  for (const customerId of [a.customers.alpha, a.customers.beta]) {
    await p.surveyResponse.create({ data: { ...w, customerId, kind: 'NPS', score: 9, answeredAt: at } });
  }
  const goal = { ...w, kpiKey: 'won_revenue', target: '100', periodStart: new Date('2026-01-01T00:00:00Z'), periodEnd: new Date('2026-04-01T00:00:00Z'), description: 'Grow' };
  await p.goal.create({ data: { ...goal, ownerTeamId: a.teams.north } });
  await p.goal.create({ data: { ...goal, ownerTeamId: a.teams.south } });
  await p.goal.create({ data: { ...goal, ownerUserId: a.users.cy } });
  await p.goal.create({ data: { ...goal, ownerUserId: a.users.ada } });
  await p.spend.create({ data: { ...w, category: 'MARKETING', date: at, amount: '7.00' } });
  await mintTestKey(db, a.workspaceId, { role: 'VIEWER', teamId: a.teams.south });
  await mintTestKey(db, a.workspaceId, { role: 'VIEWER' });
  // Every row of every Node type, in both workspaces.
  const rows = async (typename: string, list: Promise<{ id: number }[]>) => (await list).map((row) => gid(typename, row.id));
  const ids = (
    await Promise.all([
      rows('Customer', p.customer.findMany()),
      rows('Deal', p.deal.findMany()),
      rows('User', p.user.findMany()),
      rows('Team', p.team.findMany()),
      rows('Payment', p.payment.findMany()),
      rows('Activity', p.activity.findMany()),
      rows('Ticket', p.ticket.findMany()),
      rows('SurveyResponse', p.surveyResponse.findMany()),
      rows('Goal', p.goal.findMany()),
      rows('Spend', p.spend.findMany()),
      rows('Campaign', p.campaign.findMany()),
      rows('ApiKey', p.apiKey.findMany()),
    ])
  ).flat();
  return { a, b, ids };
}

/** Whether a record belongs to the team (the rule a team key must follow), read straight from the tables. */
async function ownedBy(db: Database, workspaceId: number, teamId: number, record: SeenRecord): Promise<boolean> {
  const p = db.prisma;
  const id = record.id;
  const inTeam = (user: { teamId: number | null } | null | undefined) => user?.teamId === teamId;
  const byCustomer = async (row: { workspaceId: number; customer: { owner: { teamId: number | null } | null } } | null) =>
    row?.workspaceId === workspaceId && inTeam(row.customer.owner);
  switch (record.typename) {
    case 'Team':
      return id === teamId;
    case 'User':
    case 'ApiKey': {
      const row = record.typename === 'User' ? await p.user.findUnique({ where: { id } }) : await p.apiKey.findUnique({ where: { id } });
      return row?.workspaceId === workspaceId && row.teamId === teamId;
    }
    case 'Customer': {
      const row = await p.customer.findUnique({ where: { id }, include: { owner: true } });
      return row?.workspaceId === workspaceId && inTeam(row.owner);
    }
    case 'Deal': {
      const row = await p.deal.findUnique({ where: { id }, include: { owner: true } });
      return row?.workspaceId === workspaceId && inTeam(row.owner);
    }
    case 'DealStageEvent': {
      const row = await p.dealStageEvent.findUnique({ where: { id }, include: { deal: { include: { owner: true } } } });
      return row?.workspaceId === workspaceId && inTeam(row.deal.owner);
    }
    case 'Payment':
      return byCustomer(await p.payment.findUnique({ where: { id }, include: { customer: { include: { owner: true } } } }));
    case 'Activity':
      return byCustomer(await p.activity.findUnique({ where: { id }, include: { customer: { include: { owner: true } } } }));
    case 'Ticket':
      return byCustomer(await p.ticket.findUnique({ where: { id }, include: { customer: { include: { owner: true } } } }));
    case 'SurveyResponse':
      return byCustomer(await p.surveyResponse.findUnique({ where: { id }, include: { customer: { include: { owner: true } } } }));
    case 'Goal': {
      const row = await p.goal.findUnique({ where: { id }, include: { ownerUser: true } });
      return row?.workspaceId === workspaceId && (row.ownerTeamId === teamId || inTeam(row.ownerUser));
    }
    case 'Workspace':
      return id === workspaceId;
    case 'Campaign':
      // Campaigns are the workspace's, shared by every team.
      return (await p.campaign.findUnique({ where: { id } }))?.workspaceId === workspaceId;
    default:
      // A new record type needs a rule here before a team key may see it.
      return false;
  }
}

const walk = relationWalk(schema, 3);
const nodeTypes = new Set(
  Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'))
    .map((type) => type.name),
);

describe('a team-limited key walking every relation path to depth 3', () => {
  let db: Database;
  let fixture: Awaited<ReturnType<typeof mixedOwnership>>;
  let north: TestClient;
  const seen = new Map<string, number>();

  beforeAll(async () => {
    db = await createTestDatabase();
    fixture = await mixedOwnership(db);
    // An admin of North: the widest a team key gets (API keys included); limits raised for the generated operations.
    north = createTestClient(
      db,
      fixture.a.workspaceId,
      { RATE_LIMIT_PER_MINUTE: '0', GRAPHQL_MAX_TOKENS: '100000', GRAPHQL_MAX_DEPTH: '20', GRAPHQL_MAX_ALIASES: '100' },
      { role: 'ADMIN', teamId: fixture.a.teams.north },
    );
  });
  afterAll(async () => db.close());

  it('is generated from the schema: a walk from each root and from nodes() over every Node type', () => {
    expect(walk.map((operation) => operation.name)).toEqual(expect.arrayContaining(['customers', 'deals', 'users', 'teams', 'goals', 'apiKeys', 'nodes']));
    const deals = walk.find((operation) => operation.name === 'deals')!.query;
    // deal → customer → payments → deal: three hops.
    expect(deals).toMatch(/customer \{.*payments\(first: 100\) \{ edges \{ node \{.*deal \{/);
  });

  it.each(walk.map((operation) => [operation.name, operation] as const))('from %s sees only North’s rows', async (_name, operation) => {
    const result = await north.execute(operation.query, operation.needsIds ? { ids: fixture.ids } : {});
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const records = recordsIn(result.data, nodeTypes);
    const foreign: string[] = [];
    for (const record of records) {
      seen.set(record.typename, (seen.get(record.typename) ?? 0) + 1);
      if (!(await ownedBy(db, fixture.a.workspaceId, fixture.a.teams.north, record))) foreign.push(`${record.typename} ${record.id} at ${record.path}`);
    }
    expect(foreign).toEqual([]);
  });

  it('reached every record type North may see', () => {
    for (const typename of ['Customer', 'Deal', 'DealStageEvent', 'User', 'Team', 'Payment', 'Activity', 'Ticket', 'SurveyResponse', 'Goal', 'ApiKey', 'Campaign']) {
      expect(seen.get(typename) ?? 0, typename).toBeGreaterThan(0);
    }
  });
});

describe('the nested-relation leak of issue 17, with a North viewer key', () => {
  let db: Database;
  let fixture: Awaited<ReturnType<typeof mixedOwnership>>;
  let north: TestClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    fixture = await mixedOwnership(db);
    north = createTestClient(db, fixture.a.workspaceId, { RATE_LIMIT_PER_MINUTE: '0' }, { role: 'VIEWER', teamId: fixture.a.teams.north });
  });
  afterAll(async () => db.close());

  it('answers null for a North deal’s South customer, and leaves South’s payments out', async () => {
    const result = await north.execute<{ deals: { edges: { node: { title: string; customer: { name: string; payments: { edges: { node: { amount: string } }[] } } | null } }[] } }>(
      '{ deals(first: 100) { edges { node { title customer { name payments(first: 5) { edges { node { amount } } } } } } } }',
    );
    expect(result.errors).toBeUndefined();
    const byTitle = Object.fromEntries(result.data!.deals.edges.map(({ node }) => [node.title, node.customer]));
    expect(Object.keys(byTitle).sort()).toEqual(['Alpha one', 'Alpha two', 'North on South']);
    expect(byTitle['North on South']).toBeNull();
    // Alpha is North's: both its payments (one for South's deal on it) are North's to see.
    expect(byTitle['Alpha one']).toEqual({ name: 'Alpha', payments: { edges: [{ node: { amount: '5' } }, { node: { amount: '5' } }] } });
  });

  it('lists only North’s deals of a North customer, each with its North owner', async () => {
    const result = await north.execute<{ node: { deals: { edges: { node: { title: string; owner: { name: string } } }[] } } }>(
      'query($id: ID!) { node(id: $id) { ... on Customer { deals(first: 10) { edges { node { title owner { name } } } } } } }',
      { id: gid('Customer', fixture.a.customers.alpha) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.node.deals.edges.map(({ node }) => `${node.title} (${node.owner.name})`).sort()).toEqual(['Alpha one (Ada)', 'Alpha two (Ada)']);
  });
});
