import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { FixtureSpec } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import { countStatements, createTestDatabase } from '../support/database.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';

const regions = ['DE', 'FR', 'IT', 'ES', 'NL'];
const kpis = ['won_revenue', 'new_customers', 'churn_rate', 'retention_rate'];
/** Five periods of 2025: Q1, Q2, H1, the year, Q3. */
const periods = [
  ['2025-01-01', '2025-04-01'],
  ['2025-04-01', '2025-07-01'],
  ['2025-01-01', '2025-07-01'],
  ['2025-01-01', '2026-01-01'],
  ['2025-07-01', '2025-10-01'],
];

/**
 * Every region has, each month of 2025, a new customer (created on the 5th,
 * converted on the 20th with a WON deal of 1000) and a churn (on the 10th)
 * of one of twelve customers converted in 2024, so every region has data for
 * every measure in every period.
 */
function spec(): FixtureSpec {
  const customers: NonNullable<FixtureSpec['customers']>[number][] = [];
  const deals: NonNullable<FixtureSpec['deals']>[number][] = [];
  for (const region of regions) {
    for (let m = 1; m <= 12; m++) {
      const month = String(m).padStart(2, '0');
      customers.push({ name: `${region}-new-${m}`, owner: `Rep ${region}`, region, createdAt: `2025-${month}-05T00:00:00Z`, convertedAt: `2025-${month}-20T00:00:00Z` });
      deals.push({ customer: `${region}-new-${m}`, stage: 'WON', amount: '1000', createdAt: `2025-${month}-05T00:00:00Z`, closedAt: `2025-${month}-20T00:00:00Z` });
      customers.push({ name: `${region}-old-${m}`, owner: `Rep ${region}`, region, convertedAt: '2024-01-01T00:00:00Z', churnedAt: `2025-${month}-10T00:00:00Z` });
    }
  }
  return { users: regions.map((region) => ({ name: `Rep ${region}`, team: 'Sales' })), customers, deals };
}

const list = /* GraphQL */ `
  query Goals($at: DateTime, $filter: GoalFilter) {
    goals(first: 100, at: $at, filter: $filter) {
      totalCount
      edges { node { id kpiKey owner { name } scope { summary } progress { actual attainment expected projected status } } }
    }
  }
`;

interface ListData {
  goals: { totalCount: number; edges: { node: { kpiKey: string; owner: { name: string }; scope: { summary: string }; progress: { actual: number | null; status: string } } }[] };
}

describe('a list of 100 goals with progress', () => {
  let db: Database;
  let client: TestClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    const fixture = await createFixture(db, spec());
    // 4 KPIs × 5 regions × 5 periods, each goal scoped to its region and owned by its rep.
    await db.prisma.goal.createMany({
      data: kpis.flatMap((kpiKey) =>
        regions.flatMap((region) =>
          periods.map(([start, end]) => ({
            workspaceId: fixture.workspaceId,
            kpiKey,
            target: kpiKey === 'won_revenue' ? '6000' : kpiKey === 'new_customers' ? '6' : kpiKey === 'churn_rate' ? '0.2' : '0.8',
            periodStart: new Date(`${start}T00:00:00Z`),
            periodEnd: new Date(`${end}T00:00:00Z`),
            ownerUserId: fixture.ids.users[`Rep ${region}`]!,
            scope: { region: [region] },
            description: `${kpiKey} in ${region}`,
          })),
        ),
      ),
    });
    client = createTestClient(db, fixture.workspaceId);
    await client.execute('{ __typename }'); // loads the workspace, the key and the plugins once
  });
  afterAll(async () => db.close());

  it('costs five statements, not one per goal', async () => {
    const { result, statements } = await countStatements(db, () => client.execute<ListData>(list, { at: '2025-08-15T00:00:00Z' }));
    expect(result.errors).toBeUndefined();
    const edges = result.data!.goals.edges;
    expect(result.data!.goals.totalCount).toBe(100);
    expect(edges).toHaveLength(100);
    expect(edges.every((e) => e.node.progress.actual !== null)).toBe(true);
    // Spot check: won revenue in DE over Q2 is three deals of 1000.
    const q2 = edges.filter((e) => e.node.kpiKey === 'won_revenue' && e.node.scope.summary === 'region DE')[1]!;
    expect(q2.node.progress.actual).toBe(3000);
    // 1 the goals; 2 their owners (Prisma's second query of the include);
    // 3 their children (cascades roll up), one query for all 100; then one statement per source, its measure groups as branches, each
    // grouped by region for all 100 goals and their 5 periods at once:
    // 4 deals by closedAt (won revenue's sum and count); 5 customers by
    // convertedAt (new customers), by churnedAt (churn) and the
    // active-customer snapshot (churn's denominator, both retention measures).
    expect(statements, statements.join('\n')).toHaveLength(5);
  });

  it('filters by status with the same statements: progress is computed once per goal', async () => {
    const { result, statements } = await countStatements(db, () =>
      client.execute<ListData>(list, { at: '2025-08-15T00:00:00Z', filter: { status: ['AT_RISK', 'OFF_TRACK'] } }),
    );
    expect(result.errors).toBeUndefined();
    const statuses = new Set(result.data!.goals.edges.map((e) => e.node.progress.status));
    expect([...statuses].every((s) => s === 'AT_RISK' || s === 'OFF_TRACK')).toBe(true);
    expect(result.data!.goals.totalCount).toBeGreaterThan(0);
    expect(statements, statements.join('\n')).toHaveLength(5);
  });

  it('with drivers by owner for every goal, stays a handful of statements', async () => {
    const withDrivers = /* GraphQL */ `
      query Goals($at: DateTime) {
        goals(first: 100, at: $at) {
          edges { node { kpiKey scope { summary } period { start end } progress { actual status drivers(by: OWNER) { key actual expected contribution } } } }
        }
      }
    `;
    type Node = { kpiKey: string; scope: { summary: string }; period: { start: string; end: string }; progress: { actual: number | null; drivers: { key: string; actual: number; expected: number; contribution: number }[] } };
    const { result, statements } = await countStatements(db, () => client.execute<{ goals: { edges: { node: Node }[] } }>(withDrivers, { at: '2025-08-15T00:00:00Z' }));
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.goals.edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(100);
    // Won revenue in DE over the year, at 15 August: 7 deals of 1000 (January to July), all Rep DE's; linear pacing expects 6000 × 226/365.
    const year = nodes.find((node) => node.kpiKey === 'won_revenue' && node.scope.summary === 'region DE' && node.period.start.startsWith('2025-01-01') && node.period.end.startsWith('2026-01-01'))!;
    expect(year.progress.actual).toBe(7000);
    expect(year.progress.drivers).toHaveLength(1);
    expect(year.progress.drivers[0]!.actual).toBe(7000);
    expect(year.progress.drivers[0]!.expected).toBeCloseTo((6000 * 226) / 365, 6);
    // Rates are held, with no drivers.
    expect(nodes.filter((node) => node.kpiKey === 'churn_rate').every((node) => node.progress.drivers.length === 0)).toBe(true);
    // The list's five, and three more for the drivers of all 100 goals at once, not one per goal.
    expect(statements, statements.join('\n')).toHaveLength(8);
  });
});
