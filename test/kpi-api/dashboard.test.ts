import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/testing/fixture.js';
import { countStatements, createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';

const dashboardKpis = [
  'new_leads',
  'valid_leads',
  'new_customers',
  'lead_conversion_rate',
  'won_revenue',
  'win_rate',
  'avg_deal_size',
  'sales_cycle_days',
  'open_deals',
  'pipeline_value',
  'active_customers',
  'churn_rate',
];

const dashboard = /* GraphQL */ `
  query Dashboard($keys: [String!]!) {
    kpis(keys: $keys) {
      key
      series(range: { start: "2025-01-01T00:00:00Z", end: "2026-01-01T00:00:00Z" }, grain: MONTH, by: TEAM) {
        start
        breakdown { key label value { value exact target status } }
      }
    }
  }
`;

interface DashboardData {
  kpis: Array<{ key: string; series: Array<{ start: string; breakdown: Array<{ label: string; value: { value: number | null; exact: string | null } }> }> }>;
}

/**
 * Three teams with one rep each; every month of 2025 each rep's customer
 * i-m is created on the 5th, converts on the 20th with a WON deal of
 * 1000.50 × (team number) created on the 5th; team South also loses a deal.
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
      customers.push({ name, owner: `rep-${team}`, createdAt: `2025-${month}-05T10:00:00Z`, qualifiedAt: `2025-${month}-06T10:00:00Z`, convertedAt: `2025-${month}-20T10:00:00Z` });
      deals.push({ customer: name, stage: 'WON' as const, amount: (1000.5 * (t + 1)).toFixed(2), createdAt: `2025-${month}-05T10:00:00Z`, closedAt: `2025-${month}-20T10:00:00Z` });
      if (team === 'South') deals.push({ customer: name, stage: 'LOST' as const, amount: '10.00', createdAt: `2025-${month}-06T10:00:00Z`, closedAt: `2025-${month}-21T10:00:00Z`, lostReason: 'price' });
    }
  }
  return { teams, users, customers, deals };
}

describe('a dashboard of 12 KPIs × 12 months × every team', () => {
  let db: Database;
  let client: TestClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    const { workspaceId } = await createFixture(db, fixtureSpec());
    client = createTestClient(db, workspaceId);
    await client.execute('{ __typename }'); // loads the workspace and plugins once
  });
  afterAll(async () => db.close());

  it('answers in one operation with a handful of statements, not one per cell', async () => {
    const { result, statements } = await countStatements(db, () => client.execute<DashboardData>(dashboard, { keys: dashboardKpis }));
    expect(result.errors).toBeUndefined();
    const kpis = result.data!.kpis;
    expect(kpis.map((k) => k.key)).toEqual(dashboardKpis);
    const cells = kpis.reduce((n, k) => n + k.series.reduce((m, p) => m + p.breakdown.length, 0), 0);
    // Every KPI has 12 points; won revenue has a value for each of 3 teams every month.
    expect(kpis.every((k) => k.series.length === 12)).toBe(true);
    expect(cells).toBeGreaterThanOrEqual(12 * 12 * 3 - 100);
    // Seven measure groups (customers by createdAt, qualifiedAt, convertedAt and
    // churnedAt; the active-customer snapshot, start and end edges together;
    // deals by closedAt; the open-deal snapshot) over two sources: one
    // statement per source, plus one lookup of team names for the labels.
    const engineStatements = statements.filter((sql) => !sql.includes('"Team"."name"'));
    expect(engineStatements).toHaveLength(2);
    // Each branch scopes its workspace: rows directly, the daily rollups through their parallel-restricted function.
    expect(engineStatements.every((sql) => (sql.match(/"workspaceId" = (\$|"kpigraph_rollup_workspace"\(\$)/g) ?? []).length >= 2)).toBe(true);
    expect(statements).toHaveLength(3);
    // Names are kept a minute: a refresh of the dashboard is one statement per source.
    const refresh = await countStatements(db, () => client.execute<DashboardData>(dashboard, { keys: dashboardKpis }));
    expect(refresh.statements).toHaveLength(2);
    expect(statements.length).toBeLessThan(cells / 40);
  });

  it('gives hand-checked values: won revenue of South in March 2025 is 2001.00; its win rate 1/2', async () => {
    const { data } = await client.execute<DashboardData>(dashboard, { keys: ['won_revenue', 'win_rate'] });
    const march = (key: string) => data!.kpis.find((k) => k.key === key)!.series[2]!;
    expect(march('won_revenue').start).toBe('2025-03-01T00:00:00.000Z');
    expect(march('won_revenue').breakdown.find((g) => g.label === 'South')?.value.exact).toBe('2001');
    expect(march('won_revenue').breakdown.find((g) => g.label === 'North')?.value.exact).toBe('1000.5');
    expect(march('win_rate').breakdown.find((g) => g.label === 'South')?.value.value).toBe(0.5);
    expect(march('win_rate').breakdown.find((g) => g.label === 'West')?.value.value).toBe(1);
  });
});
