import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { PluginRegistryError } from '../../src/kpi/errors.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createKpiRegistry } from '../../src/kpi/kpi-plugins.js';
import { countStatements, createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient, mintTestKey, testConfig } from '../support/server.js';
import { createServer } from '../../src/server/create-server.js';

/**
 * Two reps in two teams. Q1 2025: North wins 2 of 3 closed deals (amounts
 * 100.10 and 200.20, one lost), South wins 1 of 1 (50.05). Q4 2024: North
 * wins 1 of 2. Payments: Ann paid 3× (10, 20, 30), Bob once (500).
 */
const spec = {
  workspace: { timeZone: 'Europe/Berlin' },
  users: [
    { name: 'nora', team: 'North' },
    { name: 'sam', team: 'South' },
  ],
  customers: [
    { name: 'Ann', owner: 'nora', region: 'DE', convertedAt: '2024-11-01T00:00:00Z' },
    { name: 'Bob', owner: 'sam', region: 'FR', convertedAt: '2025-02-01T00:00:00Z' },
  ],
  deals: [
    { customer: 'Ann', stage: 'WON' as const, amount: '100.10', closedAt: '2025-01-10T00:00:00Z' },
    { customer: 'Ann', stage: 'WON' as const, amount: '200.20', closedAt: '2025-02-10T00:00:00Z' },
    { customer: 'Ann', stage: 'LOST' as const, amount: '1.00', closedAt: '2025-03-10T00:00:00Z', lostReason: 'price' },
    { customer: 'Bob', stage: 'WON' as const, amount: '50.05', closedAt: '2025-02-01T00:00:00Z' },
    { customer: 'Ann', stage: 'WON' as const, amount: '70.00', closedAt: '2024-11-01T00:00:00Z' },
    { customer: 'Ann', stage: 'LOST' as const, amount: '1.00', closedAt: '2024-12-01T00:00:00Z', lostReason: 'timing' },
  ],
  payments: [
    { customer: 'Ann', amount: '10', paidAt: '2025-01-05T00:00:00Z' },
    { customer: 'Ann', amount: '20', paidAt: '2025-02-05T00:00:00Z' },
    { customer: 'Ann', amount: '30', paidAt: '2025-03-05T00:00:00Z' },
    { customer: 'Bob', amount: '500', paidAt: '2025-02-05T00:00:00Z' },
  ],
};

// Q1 2025 in Europe/Berlin starts at 2024-12-31T23:00Z and ends at 2025-03-31T22:00Z.
const q1 = { start: '2024-12-31T23:00:00Z', end: '2025-03-31T22:00:00Z' };

describe('the KPI API', () => {
  let db: Database;
  let client: TestClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    const { workspaceId } = await createFixture(db, spec);
    client = createTestClient(db, workspaceId);
  });
  afterAll(async () => db.close());

  it('lists the catalogue with params as JSON Schema, filtered by stage, unit and search', async () => {
    const { data, errors } = await client.execute<{ kpis: Array<{ key: string; unit: string; paramsSchema: { properties?: Record<string, unknown> } }> }>(
      `{ kpis(unit: percent, search: "customers revenue") { key unit paramsSchema } }`,
    );
    expect(errors).toBeUndefined();
    expect(data!.kpis.map((k) => k.key)).toContain('top_customer_revenue_share');
    expect(data!.kpis.every((k) => k.unit === 'percent')).toBe(true);
    const top = data!.kpis.find((k) => k.key === 'top_customer_revenue_share')!;
    expect(Object.keys(top.paramsSchema.properties ?? {})).toContain('percent');
  });

  it('recommends the launch-stage KPIs for a business entering a market', async () => {
    const { data } = await client.execute<{ recommendedKpis: Array<{ key: string; stages: string[] }> }>(`{ recommendedKpis(stage: LAUNCH) { key stages } }`);
    expect(data!.recommendedKpis.map((k) => k.key)).toEqual(expect.arrayContaining(['new_leads', 'valid_leads', 'cac']));
    expect(data!.recommendedKpis.every((k) => k.stages.includes('LAUNCH'))).toBe(true);
  });

  it('gives win rate for Q1 with its measures, target status and the previous quarter', async () => {
    const { data, errors } = await client.execute<{ kpi: { value: Record<string, unknown> & { previous: Record<string, unknown> } } }>(
      `query($p: PeriodInput!) { kpi(key: "win_rate") { value(period: $p, compareTo: PREVIOUS_PERIOD) {
        value exact numerator denominator sampleSize status reason { code }
        previous { value change relativeChange period { start end } } } } }`,
      { p: q1 },
    );
    expect(errors).toBeUndefined();
    // Q1: 3 won of 4 closed = 0.75. Q4 2024: 1 of 2 = 0.5. Change +0.25, relative +50 %.
    expect(data!.kpi.value).toMatchObject({ value: 0.75, exact: '0.75', numerator: '3', denominator: '4', reason: null });
    expect(data!.kpi.value.previous).toMatchObject({ value: 0.5, change: 0.25, relativeChange: 0.5 });
    expect(data!.kpi.value.previous['period']).toEqual({ start: '2024-09-30T22:00:00.000Z', end: '2024-12-31T23:00:00.000Z' });
  });

  it('gives null with a reason for an empty period, never 0 or NaN', async () => {
    const { data } = await client.execute<{ kpi: { value: { value: null; reason: { code: string; message: string } } } }>(
      `{ kpi(key: "win_rate") { value(period: { start: "2020-01-01T00:00:00Z", end: "2020-02-01T00:00:00Z" }) { value reason { code message } } } }`,
    );
    expect(data!.kpi.value.value).toBeNull();
    expect(data!.kpi.value.reason.code).toBe('ZERO_DENOMINATOR');
  });

  it('breaks won revenue down by team with names and global IDs, exactly in decimals', async () => {
    const { data } = await client.execute<{ kpi: { breakdown: Array<{ key: string; label: string; value: { exact: string } }> } }>(
      `query($p: PeriodInput!) { kpi(key: "won_revenue") { breakdown(period: $p, by: TEAM) { key label value { exact } } } }`,
      { p: q1 },
    );
    const byLabel = Object.fromEntries(data!.kpi.breakdown.map((g) => [g.label, g.value.exact]));
    // North: 100.10 + 200.20 = 300.30 exactly; South: 50.05.
    expect(byLabel).toEqual({ North: '300.3', South: '50.05' });
    expect(Buffer.from(data!.kpi.breakdown[0]!.key, 'base64').toString()).toMatch(/^Team:\d+$/);
  });

  it('filters by region', async () => {
    const { data } = await client.execute<{ kpi: { value: { exact: string } } }>(
      `query($p: PeriodInput!) { kpi(key: "won_revenue") { value(period: $p, filter: { region: ["FR"] }) { exact } } }`,
      { p: q1 },
    );
    expect(data!.kpi.value.exact).toBe('50.05');
  });

  it('gives each customer’s RFM in one statement for a page of customers', async () => {
    const query = `{ customers(first: 10, orderBy: { field: NAME }) { edges { node { name rfm(at: "2025-04-01T00:00:00Z") { frequency monetary segment } } } } }`;
    await client.execute(query);
    const { result, statements } = await countStatements(db, () => client.execute<{ customers: { edges: Array<{ node: { name: string; rfm: { frequency: number; monetary: string; segment: string } } }> } }>(query));
    const rfm = Object.fromEntries(result.data!.customers.edges.map((e) => [e.node.name, e.node.rfm]));
    // Means: F = (3 + 1) / 2 = 2, M = (60 + 500) / 2 = 280. Ann: F 3 ≥ 2 high, M 60 low;
    // Bob: F 1 low, M 500 high. Recency: Ann last paid 2025-03-05, Bob 2025-02-05;
    // mean recency lies between them, so Ann's (shorter) is high, Bob's low.
    expect(rfm['Ann']).toEqual({ frequency: 3, monetary: '60.00', segment: 'GENERAL_VALUE' });
    expect(rfm['Bob']).toEqual({ frequency: 1, monetary: '500.00', segment: 'IMPORTANT_WIN_BACK' });
    expect(statements.filter((sql) => sql.includes('"Payment"'))).toHaveLength(1);
  });

  it.each([
    ['an unknown KPI key', `{ kpis(keys: ["nope"]) { key } }`, 'keys[0]'],
    ['a dimension the KPI does not offer', `{ kpi(key: "crm_roi") { breakdown(period: { named: LAST_YEAR }, by: TEAM) { label } } }`, 'groupBy'],
    ['params that fail the KPI’s schema', `{ kpi(key: "ltv") { value(period: { named: LAST_YEAR }, params: { grossMargin: 3 }) { value } } }`, 'params'],
    ['a range longer than the maximum', `{ kpi(key: "win_rate") { value(period: { start: "2015-01-01T00:00:00Z", end: "2025-01-01T00:00:00Z" }) { value } } }`, 'period'],
    ['a grain with too many buckets', `{ kpi(key: "win_rate") { series(range: { start: "2023-01-01T00:00:00Z", end: "2025-12-01T00:00:00Z" }, grain: DAY) { start } } }`, 'grain'],
    ['two forms of period at once', `{ kpi(key: "win_rate") { value(period: { named: LAST_YEAR, trailingDays: 3 }) { value } } }`, 'period'],
  ])('refuses %s with BAD_USER_INPUT saying which and why', async (_what, query, field) => {
    const { errors } = await client.execute(query);
    expect(errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(String(errors?.[0]?.extensions?.['field'])).toContain(field);
    expect(errors?.[0]?.message.length).toBeGreaterThan(20);
  });
});

describe('partner plugins named in KPI_PLUGINS', () => {
  let db: Database;
  afterAll(async () => db?.close());

  it('appear in the catalogue beside the built-ins and resolve', async () => {
    db = await createTestDatabase();
    const { workspaceId } = await createFixture(db, spec);
    const registry = await createKpiRegistry(['examples/partner-plugin/deal-velocity.ts']);
    const partner = createServer({ db, registry, config: testConfig({ DEFAULT_WORKSPACE_ID: String(workspaceId) }) });
    const response = await partner.yoga.fetch('http://kpigraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await mintTestKey(db, workspaceId, { role: 'VIEWER' })}` },
      body: JSON.stringify({ query: `{ kpi(key: "deal_velocity") { key value(period: { start: "2024-12-31T23:00:00Z", end: "2025-03-31T22:00:00Z" }) { value reason { code } } } kpis { key } }` }),
    });
    const body = (await response.json()) as { data: { kpi: { key: string; value: { value: number | null } }; kpis: Array<{ key: string }> }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.kpi.key).toBe('deal_velocity');
    expect(body.data.kpis.map((k) => k.key)).toEqual(expect.arrayContaining(['deal_velocity', 'win_rate']));
  });

  it('stop the boot when invalid, listing every problem with the plugin’s name', async () => {
    const error = await createKpiRegistry(['test/fixtures/broken-plugins.ts', 'test/fixtures/does-not-exist.ts']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginRegistryError);
    const problems = (error as PluginRegistryError).problems.join('\n');
    expect(problems).toContain('does-not-exist.ts');
    expect(problems).toMatch(/broken-plugins\.ts.*win_rate/);
    expect(problems).toMatch(/galaxy/);
    expect(problems).toMatch(/weird_rate.*target|target.*weird_rate/);
  });
});
