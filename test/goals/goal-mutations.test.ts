import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import type { GoalData } from './helpers.js';
import { createGoal, createGoalMutation, errorOf, gid, goalFields, updateGoalMutation } from './helpers.js';

let db: Database;
let acme: Fixture;
let bolt: Fixture;
let client: TestClient;
let boltClient: TestClient;
let ada: string;

const goalCount = () => db.prisma.goal.count();
const valid = () => ({
  kpiKey: 'retention_rate',
  target: '0.8',
  period: { start: '2025-01-01T00:00:00Z', end: '2026-01-01T00:00:00Z' },
  ownerId: ada,
  scope: { region: ['DE'] },
  description: 'Quarterly business reviews',
  baseline: '0.7',
});

beforeAll(async () => {
  db = await createTestDatabase();
  acme = await createFixture(db, { workspace: { name: 'Acme' }, users: [{ name: 'Ada', team: 'North' }], customers: [{ name: 'C', owner: 'Ada', convertedAt: '2024-01-01T00:00:00Z' }] });
  bolt = await createFixture(db, { workspace: { name: 'Bolt' }, users: [{ name: 'Bo', team: 'South' }] });
  client = createTestClient(db, acme.workspaceId);
  boltClient = createTestClient(db, bolt.workspaceId);
  ada = gid('User', acme.ids.users['Ada']!);
});
afterAll(async () => db.close());

describe('createGoal validation: BAD_USER_INPUT naming the field, nothing written', () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['an unknown KPI', { kpiKey: 'happiness' }, 'input.kpiKey', /unknown KPI/],
    ['a dimension the KPI does not offer', { kpiKey: 'cac', target: '80', scope: { region: ['DE'] } }, 'input.scope.region', /cannot be filtered by region/],
    ['an unknown param', { params: { months: 3 } }, 'input.params.months', /no parameter "months"/],
    ['a param failing its schema', { kpiKey: 'new_revenue', target: '1000', scope: {}, params: { months: 999 } }, 'input.params.months', /Invalid params/],
    ['an end before the start', { period: { start: '2025-06-01T00:00:00Z', end: '2025-01-01T00:00:00Z' } }, 'input.period', /must be after its start/],
    ['two period forms at once', { period: { named: 'THIS_QUARTER', trailingDays: 7 } }, 'input.period', /exactly one/],
    ['a percent target given in percent', { target: '80' }, 'input.target', /0\.8 means 80 %/],
    ['a stretch target on the wrong side', { stretchTarget: '0.7' }, 'input.stretchTarget', /beyond the target/],
    ['negative money', { kpiKey: 'won_revenue', target: '-5', scope: {} }, 'input.target', /must not be negative/],
    ['no owner', { ownerId: null }, 'input.owner', /exactly one owner/],
    ['two owners', { teamId: 'placeholder' }, 'input.owner', /exactly one owner/],
    ['an empty description', { description: '  ' }, 'input.description', /must not be empty/],
  ];
  it.each(cases)('%s', async (_name, change, field, message) => {
    const input: Record<string, unknown> = { ...valid(), ...change };
    if (input['teamId'] === 'placeholder') input['teamId'] = gid('Team', acme.ids.teams['North']!);
    const before = await goalCount();
    const result = await client.execute(createGoalMutation, { input });
    const error = errorOf(result);
    expect(error.code, error.message).toBe('BAD_USER_INPUT');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(await goalCount()).toBe(before);
  });

  it('an owner of another workspace is NOT_FOUND, and nothing is written', async () => {
    const before = await goalCount();
    const result = await client.execute(createGoalMutation, { input: { ...valid(), ownerId: gid('User', bolt.ids.users['Bo']!) } });
    expect(errorOf(result)).toMatchObject({ code: 'NOT_FOUND', field: 'input.ownerId' });
    expect(await goalCount()).toBe(before);
  });

  it('a named period works: THIS_QUARTER', async () => {
    const goal = await createGoal(client, { ...valid(), period: { named: 'THIS_QUARTER' } });
    expect(new Date(goal.period.end).getTime() - new Date(goal.period.start).getTime()).toBeGreaterThan(88 * 86_400_000);
  });
});

describe('updateGoal and archiveGoal', () => {
  let goal: GoalData;
  beforeAll(async () => {
    goal = await createGoal(client, valid());
  });

  it('a stale version is a CONFLICT and changes nothing', async () => {
    const first = await client.execute<{ updateGoal: GoalData }>(updateGoalMutation, { id: goal.id, version: goal.version, input: { target: '0.85' } });
    expect(first.data?.updateGoal.version).toBe(goal.version + 1);
    const row = await db.prisma.goal.findUniqueOrThrow({ where: { id: Number(Buffer.from(goal.id, 'base64').toString().split(':')[1]) } });
    const stale = await client.execute(updateGoalMutation, { id: goal.id, version: goal.version, input: { target: '0.9' } });
    expect(errorOf(stale).code).toBe('CONFLICT');
    expect(await db.prisma.goal.findUniqueOrThrow({ where: { id: row.id } })).toEqual(row);
  });

  it('an invalid update is BAD_USER_INPUT and changes nothing', async () => {
    const before = await db.prisma.goal.findMany({ orderBy: { id: 'asc' } });
    const result = await client.execute(updateGoalMutation, { id: goal.id, version: goal.version + 1, input: { target: '85' } });
    expect(errorOf(result)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.target' });
    expect(await db.prisma.goal.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('another workspace’s goal is NOT_FOUND for update and archive, and is not a node there', async () => {
    const update = await boltClient.execute(updateGoalMutation, { id: goal.id, version: 2, input: { target: '0.5' } });
    expect(errorOf(update).code).toBe('NOT_FOUND');
    const archive = await boltClient.execute('mutation($id: ID!) { archiveGoal(id: $id, version: 2) { id } }', { id: goal.id });
    expect(errorOf(archive).code).toBe('NOT_FOUND');
    const node = await boltClient.execute<{ node: unknown }>('query($id: ID!) { node(id: $id) { id } }', { id: goal.id });
    expect(node.data?.node).toBeNull();
    const list = await boltClient.execute<{ goals: { totalCount: number } }>('{ goals { totalCount } }');
    expect(list.data?.goals.totalCount).toBe(0);
  });

  it('archiving hides the goal from lists unless includeArchived; a stale version is a CONFLICT', async () => {
    const stale = await client.execute('mutation($id: ID!) { archiveGoal(id: $id, version: 1) { id } }', { id: goal.id });
    expect(errorOf(stale).code).toBe('CONFLICT');
    const archived = await client.execute<{ archiveGoal: GoalData }>(`mutation($id: ID!) { archiveGoal(id: $id, version: 2) { ...GoalFields } } ${goalFields}`, { id: goal.id });
    expect(archived.errors).toBeUndefined();
    expect(archived.data!.archiveGoal).toMatchObject({ version: 3 });
    expect(archived.data!.archiveGoal.archivedAt).not.toBeNull();
    const ids = async (includeArchived: boolean) =>
      (await client.execute<{ goals: { edges: { node: { id: string } }[] } }>('query($a: Boolean) { goals(includeArchived: $a) { edges { node { id } } } }', { a: includeArchived })).data!.goals.edges.map((e) => e.node.id);
    expect(await ids(false)).not.toContain(goal.id);
    expect(await ids(true)).toContain(goal.id);
  });
});

describe('createGoalsFromTemplate', () => {
  const mutation = /* GraphQL */ `
    mutation T($input: GoalTemplateInput!) {
      createGoalsFromTemplate(input: $input) { goals { kpiKey targetExact description scope { summary } } skipped { kpiKey reason } }
    }
  `;
  it('creates the mature stage’s defaults for region DE this quarter, skipping KPIs that cannot take the scope', async () => {
    const before = await goalCount();
    const result = await client.execute<{ createGoalsFromTemplate: { goals: { kpiKey: string; targetExact: string; description: string }[]; skipped: { kpiKey: string }[] } }>(mutation, {
      input: { stage: 'MATURE', period: { named: 'THIS_QUARTER' }, scope: { region: ['DE'] }, ownerId: ada },
    });
    expect(result.errors).toBeUndefined();
    const payload = result.data!.createGoalsFromTemplate;
    expect(payload.goals.map((g) => `${g.kpiKey} ${g.targetExact}`)).toEqual(['retention_rate 0.8', 'nps 30']);
    expect(payload.goals[0]!.description).toBe('Retention rate ≥ 80 % for region DE');
    expect(payload.skipped.map((s) => s.kpiKey)).toEqual(['ltv_cac_ratio']);
    expect(await goalCount()).toBe(before + 2);
  });
  it('scales per-period targets: 100 valid leads a month is 300 for a quarter', async () => {
    const result = await client.execute<{ createGoalsFromTemplate: { goals: { kpiKey: string; targetExact: string }[] } }>(mutation, {
      input: { stage: 'LAUNCH', period: { start: '2025-01-01T00:00:00Z', end: '2025-04-01T00:00:00Z' }, ownerId: ada },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createGoalsFromTemplate.goals.map((g) => `${g.kpiKey} ${g.targetExact}`)).toEqual(['valid_leads 300', 'lead_conversion_rate 0.2']);
  });
  it('writes nothing on bad input', async () => {
    const before = await goalCount();
    const result = await client.execute(mutation, { input: { stage: 'MATURE', period: { named: 'THIS_QUARTER' }, scope: { region: ['DE'] } } });
    expect(errorOf(result)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.owner' });
    expect(await goalCount()).toBe(before);
  });
});
