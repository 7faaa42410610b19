import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { schema } from '../../src/graphql/schema.js';
import { seedWorkspace } from '../graphql/fixtures.js';
import { countStatements, createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import type { FuzzCase, Fixture } from './schema-fuzz.js';
import { fuzzCases } from './schema-fuzz.js';

/** One fingerprint of every table (API keys without lastUsedAt, which authentication touches). */
async function checksum(db: Database): Promise<string> {
  const tables = ['Workspace', 'Team', 'User', 'Campaign', 'Customer', 'Deal', 'DealStageEvent', 'Activity', 'Payment', 'SurveyResponse', 'Ticket', 'Spend', 'LedgerEntry', 'Goal'];
  const parts = tables.map((table) => `SELECT '${table}' || t::text AS row FROM "${table}" t`);
  parts.push(`SELECT 'ApiKey' || concat_ws(',', id, name, prefix, role, "teamId", "revokedAt") FROM "ApiKey"`);
  const { rows } = await db.query<{ sum: string }>(`SELECT md5(string_agg(row, '|' ORDER BY row)) AS sum FROM (${parts.join(' UNION ALL ')}) rows`);
  return rows[0]!.sum;
}

/** A fixture with a row of every Node type, so that the generated paths and IDs resolve. */
async function seed(db: Database): Promise<Fixture & { workspaceId: number }> {
  const a = await seedWorkspace(db, 'Acme');
  await seedWorkspace(db, 'Bolt');
  const p = db.prisma;
  const w = { workspaceId: a.workspaceId };
  const at = new Date('2026-02-15T10:00:00Z');
  const payment = await p.payment.create({ data: { ...w, customerId: a.customers.alpha, dealId: a.deals.alphaOne, amount: '5.00', paidAt: at } });
  const activity = await p.activity.create({ data: { ...w, type: 'CALL', userId: a.users.ada, customerId: a.customers.alpha, at } });
  const survey = await p.surveyResponse.create({ data: { ...w, customerId: a.customers.alpha, kind: 'NPS', score: 9, answeredAt: at } });
  const spend = await p.spend.create({ data: { ...w, category: 'MARKETING', date: at, amount: '7.00' } });
  const goal = await p.goal.create({
    data: { ...w, kpiKey: 'won_revenue', target: '100', periodStart: new Date('2026-01-01T00:00:00Z'), periodEnd: new Date('2026-04-01T00:00:00Z'), description: 'Grow', ownerTeamId: a.teams.north },
  });
  const key = await p.apiKey.create({ data: { ...w, name: 'fuzz target', prefix: 'fuzzfuzz', hash: 'x' } });
  return {
    workspaceId: a.workspaceId,
    rows: {
      Customer: a.customers.alpha,
      Deal: a.deals.alphaOne,
      User: a.users.ada,
      Team: a.teams.north,
      Campaign: a.campaign,
      Ticket: a.ticket,
      Payment: payment.id,
      Activity: activity.id,
      SurveyResponse: survey.id,
      Spend: spend.id,
      Goal: goal.id,
      ApiKey: key.id,
    },
  };
}

describe('schema-driven fuzzing', () => {
  let db: Database;
  let client: TestClient;
  let cases: FuzzCase[] = [];
  const tally = { total: 0, refused: 0, accepted: 0 };

  beforeAll(async () => {
    db = await createTestDatabase();
    const fixture = await seed(db);
    client = createTestClient(db, fixture.workspaceId, { RATE_LIMIT_PER_MINUTE: '0' });
    cases = fuzzCases(schema, fixture);
  });
  afterAll(async () => {
    console.log(`schema fuzz: ${tally.total} cases, ${tally.refused} refused, ${tally.accepted} accepted as valid`);
    await db.close();
  });

  it('generates well over 1,000 cases, covering every argument of Query and Mutation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(1_000);
    for (const field of [...Object.values(schema.getQueryType()!.getFields()), ...Object.values(schema.getMutationType()!.getFields())]) {
      for (const arg of field.args) expect(cases.some((c) => c.name.includes(`.${field.name}(${arg.name}`)), `${field.name}(${arg.name})`).toBe(true);
    }
  });

  it('answers every case without an internal error; refused cases write nothing; invalid families are always refused', async () => {
    const problems: string[] = [];
    await client.key();
    // The tables' checksum, recomputed only when a case may have written: cheap enough for thousands of cases.
    let before = await checksum(db);
    for (const fuzz of cases) {
      const { result, statements } = await countStatements(db, () => client.execute(fuzz.query, fuzz.variables));
      tally.total += 1;
      const codes = (result.errors ?? []).map((error) => String(error.extensions?.['code']));
      const summary = `${fuzz.name}: ${result.status} ${JSON.stringify(result.errors?.slice(0, 2))?.slice(0, 300)}`;
      if (result.status >= 500 || codes.includes('INTERNAL_SERVER_ERROR') || codes.includes('undefined')) problems.push(`internal or uncoded: ${summary}`);
      const refused = (result.errors?.length ?? 0) > 0;
      if (refused) tally.refused += 1;
      else tally.accepted += 1;
      if (fuzz.mustRefuse && !refused) problems.push(`accepted an invalid value: ${fuzz.name}`);
      // Authentication's lastUsedAt stamp is the one write a request may make whatever it asks.
      const wrote = statements.some((sql) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(sql) && !/"lastUsedAt"/.test(sql));
      if (!wrote) continue;
      if (!fuzz.mutation) problems.push(`a query wrote: ${summary}`);
      const after = await checksum(db);
      // A case answered with any error wrote nothing (its transaction, if any, rolled back); an accepted one may.
      if (refused && after !== before) problems.push(`wrote data while refusing: ${summary}`);
      before = after;
    }
    expect(problems).toEqual([]);
    expect(await checksum(db)).toBe(before);
  }, 120_000);
});
