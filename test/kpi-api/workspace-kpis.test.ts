import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/testing/fixture.js';
import { countStatements, createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';

/**
 * Three teams with one rep each; every month of 2025 each rep converts one
 * customer (on the 20th) with one WON deal of 1000.50 × (team number):
 * North 1000.50, South 2001.00, West 3001.50.
 */
function fixtureSpec() {
  const teams = ['North', 'South', 'West'];
  const users = teams.map((team) => ({ name: `rep-${team}`, team }));
  const customers = [];
  const deals = [];
  for (const [t, team] of teams.entries()) {
    for (let m = 0; m < 12; m++) {
      const month = String(m + 1).padStart(2, '0');
      const name = `${team}-${month}`;
      customers.push({ name, owner: `rep-${team}`, createdAt: `2025-${month}-05T10:00:00Z`, convertedAt: `2025-${month}-20T10:00:00Z` });
      deals.push({ customer: name, stage: 'WON' as const, amount: (1000.5 * (t + 1)).toFixed(2), createdAt: `2025-${month}-05T10:00:00Z`, closedAt: `2025-${month}-20T10:00:00Z` });
    }
  }
  return { teams, users, customers, deals };
}

const defineKpi = /* GraphQL */ `
  mutation Define($input: DefineKpiInput!) {
    defineKpi(input: $input) { key unit direction dimensions formula version defaultTarget }
  }
`;
const updateKpi = /* GraphQL */ `
  mutation Update($input: UpdateKpiInput!) { updateKpi(input: $input) { key formula version } }
`;
const removeKpi = /* GraphQL */ `
  mutation Remove($key: String!) { removeKpi(key: $key) { key versions } }
`;
const march = { start: '2025-03-01T00:00:00Z', end: '2025-04-01T00:00:00Z' };
const valueQuery = /* GraphQL */ `
  query Value($key: String!, $period: PeriodInput!) {
    kpi(key: $key) {
      value(period: $period) { exact status target components { name kpiKey exact } }
      breakdown(period: $period, by: TEAM) { label value { exact } }
    }
  }
`;
const createGoal = /* GraphQL */ `
  mutation Goal($input: CreateGoalInput!) { createGoal(input: $input) { id version kpiKey kpiVersion progress(at: "2025-04-02T00:00:00Z") { exact target status } } }
`;
const goalsQuery = /* GraphQL */ `
  query Goals { goals(first: 10) { edges { node { id kpiVersion progress(at: "2025-04-02T00:00:00Z") { exact } } } } }
`;

interface DefinedKpi { key: string; unit: string; direction: string; dimensions: string[]; formula: string | null; version: number | null; defaultTarget: number | null }
interface ValueData { kpi: { value: { exact: string | null; status: string; target: number | null; components: { name: string; kpiKey: string; exact: string | null }[] | null }; breakdown: { label: string; value: { exact: string | null } }[] } }

const wonPerCustomer = {
  key: 'won_per_new_customer',
  name: 'Won revenue per new customer',
  description: 'Won revenue divided by the customers converted in the period.',
  unit: 'MONEY',
  direction: 'HIGHER',
  formula: 'won_revenue / new_customers',
  target: '2500',
};

describe('KPIs defined at run time', () => {
  let db: Database;
  let client: TestClient;
  let viewer: TestClient;
  let northTeamId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    const { workspaceId } = await createFixture(db, fixtureSpec());
    client = createTestClient(db, workspaceId);
    viewer = createTestClient(db, workspaceId, {}, { role: 'VIEWER' });
    const teams = await client.execute<{ teams: { id: string; name: string }[] }>('{ teams { id name } }');
    northTeamId = teams.data!.teams.find((team) => team.name === 'North')!.id;
  });
  afterAll(async () => db?.close());

  it('refuses a formula that mixes units, pointing at the column, and stores nothing', async () => {
    const result = await client.execute(defineKpi, { input: { ...wonPerCustomer, formula: 'won_revenue + new_customers' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.formula',
      problems: [{ field: 'input.formula', message: 'at column 13: cannot add money and count; both sides need the same unit.' }],
    });
    const syntax = await client.execute(defineKpi, { input: { ...wonPerCustomer, formula: 'won_revenue / (new_customers' } });
    expect(syntax.errors?.[0]?.message).toBe('Invalid input. input.formula: at column 29: expected ")" to close the "(" at column 15, found the end of the formula.');
    const unknown = await client.execute(defineKpi, { input: { ...wonPerCustomer, formula: 'won_revenue / stage_share' } });
    expect(unknown.errors?.[0]?.message).toBe('Invalid input. input.formula: at column 15: KPI "stage_share" computes with its own query and cannot be used in a formula.');
    const listed = await client.execute<{ kpis: { key: string }[] }>('{ kpis { key } }');
    expect(listed.data!.kpis.map((k) => k.key)).not.toContain('won_per_new_customer');
  });

  it('is defined by an admin only', async () => {
    const result = await viewer.execute(defineKpi, { input: wonPerCustomer });
    expect(result.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('answers values, breakdowns and its components once defined', async () => {
    const defined = await client.execute<{ defineKpi: DefinedKpi }>(defineKpi, { input: wonPerCustomer });
    expect(defined.errors).toBeUndefined();
    // won_revenue and new_customers both offer team, owner, channel, region, industry and campaign.
    expect(defined.data!.defineKpi).toMatchObject({ key: 'won_per_new_customer', unit: 'MONEY', formula: 'won_revenue / new_customers', version: 1, defaultTarget: 2500 });
    expect(defined.data!.defineKpi.dimensions).toContain('TEAM');
    const again = await client.execute(defineKpi, { input: wonPerCustomer });
    expect(again.errors?.[0]?.extensions?.['code']).toBe('CONFLICT');

    const { data, errors } = await client.execute<ValueData>(valueQuery, { key: 'won_per_new_customer', period: march });
    expect(errors).toBeUndefined();
    // March: (1000.50 + 2001.00 + 3001.50) / 3 customers = 6003 / 3 = 2001, below the target of 2500.
    expect(data!.kpi.value).toMatchObject({ exact: '2001', status: 'OFF_TARGET', target: 2500 });
    expect(data!.kpi.value.components).toEqual([
      { name: 'won_revenue', kpiKey: 'won_revenue', exact: '6003' },
      { name: 'new_customers', kpiKey: 'new_customers', exact: '3' },
    ]);
    expect(data!.kpi.breakdown.map((g) => [g.label, g.value.exact])).toEqual([
      ['North', '1000.5'],
      ['South', '2001'],
      ['West', '3001.5'],
    ]);
  });

  it('costs no statement of its own in a dashboard beside the KPIs it reads, a derived and a percentile KPI', async () => {
    const dashboard = /* GraphQL */ `
      query Dashboard($keys: [String!]!) {
        kpis(keys: $keys) {
          key
          series(range: { start: "2025-01-01T00:00:00Z", end: "2026-01-01T00:00:00Z" }, grain: MONTH, by: TEAM) { breakdown { value { exact } } }
        }
      }
    `;
    type Dashboard = { kpis: { key: string; series: { breakdown: { value: { exact: string | null } }[] }[] }[] };
    await client.execute(dashboard, { keys: ['won_revenue'] });
    const plain = await countStatements(db, () => client.execute<Dashboard>(dashboard, { keys: ['won_revenue', 'new_customers'] }));
    const mixed = await countStatements(db, () => client.execute<Dashboard>(dashboard, { keys: ['won_revenue', 'new_customers', 'won_per_new_customer', 'avg_deal_size', 'median_deal_size'] }));
    expect(mixed.result.errors).toBeUndefined();
    // deals and customers: one statement each, with or without the formula and the median (its ordered pass is a branch of the deals statement).
    expect(plain.statements).toHaveLength(2);
    expect(mixed.statements).toHaveLength(2);
    const formula = mixed.result.data!.kpis[2]!;
    expect(formula.series).toHaveLength(12);
    expect(formula.series.every((point) => point.breakdown.map((g) => g.value.exact).join() === '1000.5,2001,3001.5')).toBe(true);
    // One won deal per team and month: its median is the deal itself.
    const median = mixed.result.data!.kpis[4]!;
    expect(median.series.every((point) => point.breakdown.map((g) => g.value.exact).join() === '1000.5,2001,3001.5')).toBe(true);
  });

  it('costs one statement per source in a dashboard mixing derived, run-time, windowed, compared and top-N values', async () => {
    const year = '{ start: "2025-01-01T00:00:00Z", end: "2026-01-01T00:00:00Z" }';
    const plain = /* GraphQL */ `{
      revenue: kpi(key: "won_revenue") { series(range: ${year}, grain: MONTH) { value { exact } } }
      customers: kpi(key: "new_customers") { value(period: ${year}) { exact } }
      ltv: kpi(key: "ltv") { value(period: ${year}) { exact } }
      cac: kpi(key: "cac") { value(period: ${year}) { exact } }
    }`;
    const mixed = /* GraphQL */ `{
      formula: kpi(key: "won_per_new_customer") {
        series(range: ${year}, grain: MONTH, window: { rolling: 3 }, compareTo: YEAR_AGO) { value { exact previous { exact } } }
        value(period: ${year}, compareToPeriod: { start: "2024-01-01T00:00:00Z", end: "2025-01-01T00:00:00Z" }) { exact }
      }
      running: kpi(key: "won_revenue") { series(range: ${year}, grain: QUARTER, window: { cumulative: true }, compareTo: PREVIOUS_PERIOD) { value { exact } } }
      top: kpi(key: "won_revenue") {
        breakdown(period: ${year}, by: TEAM, orderBy: { value: DESC }, first: 2, compareTo: YEAR_AGO) { label shareOfTotal { exact } value { exact } }
      }
      ratio: kpi(key: "ltv_cac_ratio") { value(period: ${year}, compareTo: PREVIOUS_PERIOD) { exact reason { code } } }
      median: kpi(key: "median_deal_size") { series(range: ${year}, grain: MONTH, window: { rolling: 2 }) { value { exact } } }
    }`;
    type Mixed = {
      formula: { series: { value: { exact: string; previous: { exact: string | null } } }[]; value: { exact: string } };
      running: { series: { value: { exact: string } }[] };
      top: { breakdown: { label: string; shareOfTotal: { exact: string }; value: { exact: string } }[] };
    };
    await client.execute(plain);
    const base = await countStatements(db, () => client.execute(plain));
    const all = await countStatements(db, () => client.execute<Mixed>(mixed));
    expect(all.result.errors).toBeUndefined();
    // deals, customers, payments and spend: one statement each.
    expect(base.statements).toHaveLength(4);
    expect(all.statements).toHaveLength(4);
    const data = all.result.data!;
    // Every month each team converts one customer: any window's revenue per customer is 6003 / 3 = 2001; 2024 had none.
    expect(data.formula.series.map((p) => p.value.exact)).toEqual(Array(12).fill('2001'));
    expect(data.formula.series[0]!.value.previous.exact).toBeNull();
    expect(data.formula.value.exact).toBe('2001');
    // 6003 a month: 18009 after the first quarter, 72036 after the fourth.
    expect(data.running.series.map((p) => p.value.exact)).toEqual(['18009', '36018', '54027', '72036']);
    // West 12 × 3001.50 = 36018 of 72036; South 24012 (a third); North's 12006 is the other sixth.
    expect(data.top.breakdown.map((g) => [g.label, g.value.exact, g.shareOfTotal.exact])).toEqual([
      ['West', '36018', '0.5'],
      ['South', '24012', expect.stringMatching(/^0\.33333/)],
      ['Other (1 group)', '12006', expect.stringMatching(/^0\.16666/)],
    ]);
  });

  it('carries a goal pinned to the version it was set on; updateKpi keeps the old version for it', async () => {
    const goalInput = { kpiKey: 'won_per_new_customer', target: '2500', period: march, teamId: northTeamId, scope: {}, description: 'Bigger deals per new customer' };
    const first = await client.execute<{ createGoal: { id: string; kpiVersion: number; progress: { exact: string; target: number; status: string } } }>(createGoal, { input: goalInput });
    expect(first.errors).toBeUndefined();
    // An explicit empty scope: the team's goal measures the whole workspace's KPI over March, 2001 against 2500, and the period is over.
    expect(first.data!.createGoal).toMatchObject({ kpiVersion: 1, progress: { exact: '2001', target: 2500, status: 'MISSED' } });

    const updated = await client.execute<{ updateKpi: { formula: string; version: number } }>(updateKpi, { input: { key: 'won_per_new_customer', formula: '2 * won_revenue / new_customers' } });
    expect(updated.data!.updateKpi).toEqual({ key: 'won_per_new_customer', formula: '2 * won_revenue / new_customers', version: 2 });
    const now = await client.execute<ValueData>(valueQuery, { key: 'won_per_new_customer', period: march });
    expect(now.data!.kpi.value.exact).toBe('4002');

    const second = await client.execute<{ createGoal: { kpiVersion: number; progress: { exact: string; status: string } } }>(createGoal, { input: goalInput });
    expect(second.data!.createGoal).toMatchObject({ kpiVersion: 2, progress: { exact: '4002', status: 'ACHIEVED' } });
    const goals = await client.execute<{ goals: { edges: { node: { id: string; kpiVersion: number; progress: { exact: string } } }[] } }>(goalsQuery);
    expect(goals.errors).toBeUndefined();
    const nodes = goals.data!.goals.edges.map((edge) => edge.node);
    const byVersion = Object.fromEntries(nodes.map((goal) => [goal.kpiVersion, goal.progress.exact]));
    expect(byVersion).toEqual({ 1: '2001', 2: '4002' });

    const refused = await client.execute(removeKpi, { key: 'won_per_new_customer' });
    expect(refused.errors?.[0]).toMatchObject({ message: 'KPI "won_per_new_customer" is used by 2 goals; archive them first.', extensions: { code: 'CONFLICT' } });
    for (const goal of nodes) {
      const archived = await client.execute('mutation A($id: ID!) { archiveGoal(id: $id, version: 1) { id } }', { id: goal.id });
      expect(archived.errors).toBeUndefined();
    }
    const removed = await client.execute<{ removeKpi: { key: string; versions: number } }>(removeKpi, { key: 'won_per_new_customer' });
    expect(removed.data!.removeKpi).toEqual({ key: 'won_per_new_customer', versions: 2 });
    const gone = await client.execute(valueQuery, { key: 'won_per_new_customer', period: march });
    expect(gone.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });
});
