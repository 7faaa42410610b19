import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../support/database.js';
import { createTestClient } from '../support/server.js';
import type { WorkspaceFixture } from './fixtures.js';
import { seedOperationsWorkspace } from './operation-variables.js';

interface Explanation {
  path: string;
  cacheEnabled: boolean;
  cells: { kpi: string; start: string; end: string; groupBy: string | null; path: string; components: Record<string, string> | null; error: string | null }[];
  groups: { index: number; source: string; timeField: string | null; snapshotFrom: string | null; groupBy: string | null; measures: unknown[]; periods: { start: string; end: string; edge: string | null }[] }[];
  statements: { source: string; sql: string; params: unknown[]; units: { kind: string; groups: number[] }[]; error: string | null; paths: { group: number; rollup: boolean; reason: string }[] }[];
}

const explainQuery = `query($key: String!, $period: PeriodInput!, $grain: Grain, $by: KpiDimension, $filter: KpiFilter, $params: JSON, $compareTo: Comparison) {
  kpi(key: $key) { explain(period: $period, grain: $grain, by: $by, filter: $filter, params: $params, compareTo: $compareTo) {
    path cacheEnabled
    cells { kpi start end groupBy path components error }
    groups { index source timeField snapshotFrom groupBy measures periods { start end edge } }
    statements { source sql params units { kind groups } error paths { group rollup reason } }
  } }
}`;
const year2025 = { start: '2025-01-01T00:00:00Z', end: '2026-01-01T00:00:00Z' };
/** The fixture's workspace is in Europe/Berlin: its year 2025 in UTC. */
const berlin2025 = { start: '2024-12-31T23:00:00Z', end: '2025-12-31T23:00:00Z' };

let db: Database;
let fixture: WorkspaceFixture;
beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await seedOperationsWorkspace(db);
});
afterAll(async () => db.close());

describe('KpiDefinition.explain', () => {
  it('explains a monthly series by owner as 12 cells, one group over 12 periods and one bucketed statement over the rows, and runs nothing', async () => {
    const client = createTestClient(db, fixture.workspaceId);
    await client.key();
    const before = await db.prisma.deal.count();
    const statements: string[] = [];
    const stop = db.onStatement((event) => statements.push(event.sql));
    const result = await client.execute<{ kpi: { explain: Explanation } }>(explainQuery, { key: 'won_revenue', period: berlin2025, grain: 'MONTH', by: 'OWNER' });
    stop();
    expect(result.errors).toBeUndefined();
    const explain = result.data!.kpi.explain;
    expect(explain.path).toBe('RAW');
    expect(explain.cacheEnabled).toBe(false);
    expect(explain.cells).toHaveLength(12);
    expect(explain.cells[0]).toMatchObject({ kpi: 'won_revenue', start: '2024-12-31T23:00:00.000Z', end: '2025-01-31T23:00:00.000Z', groupBy: 'OWNER', path: 'RAW' });
    expect(explain.groups).toHaveLength(1);
    expect(explain.groups[0]).toMatchObject({ index: 0, source: 'deals', timeField: 'closedAt', groupBy: 'OWNER' });
    expect(explain.groups[0]!.periods).toHaveLength(12);
    expect(explain.statements).toHaveLength(1);
    expect(explain.statements[0]).toMatchObject({ source: 'deals', units: [{ kind: 'BUCKETED', groups: [0] }], error: null });
    // The daily rollup keeps team and stage, not owner: the rows are read, and the path says why.
    expect(explain.statements[0]!.paths).toMatchObject([{ group: 0, rollup: false }]);
    expect(explain.statements[0]!.paths[0]!.reason).toMatch(/owner/);
    expect(explain.statements[0]!.sql).toMatch(/GROUPING SETS/);
    // $1 is the workspace, $2 the 13 sorted edges of the 12 months.
    expect(explain.statements[0]!.params[0]).toBe(fixture.workspaceId);
    expect(explain.statements[0]!.params[1]).toHaveLength(13);
    // No KPI statement ran: only the key's and the workspace's lookups, none on deals.
    expect(statements.filter((sql) => /"Deal"/.test(sql))).toEqual([]);
    expect(await db.prisma.deal.count()).toBe(before);
  });

  it('reads a monthly series by team from the daily rollup, and says so', async () => {
    const client = createTestClient(db, fixture.workspaceId);
    const result = await client.execute<{ kpi: { explain: Explanation } }>(explainQuery, { key: 'won_revenue', period: berlin2025, grain: 'MONTH', by: 'TEAM' });
    expect(result.errors).toBeUndefined();
    const [statement] = result.data!.kpi.explain.statements;
    expect(statement).toMatchObject({ source: 'deals', units: [{ kind: 'ROLLUP', groups: [0] }], paths: [{ group: 0, rollup: true }], error: null });
    expect(statement!.sql).toMatch(/DealDailyRollup/);
  });

  it('reads customer counts, with "converted at all" among them, from the customer rollup, and a condition it does not keep from the rows, saying which', async () => {
    const client = createTestClient(db, fixture.workspaceId);
    const explain = async (key: string) => (await client.execute<{ kpi: { explain: Explanation } }>(explainQuery, { key, period: berlin2025, grain: 'MONTH', by: 'TEAM' })).data!.kpi.explain;
    const [converted] = (await explain('lead_conversion_rate')).statements;
    expect(converted).toMatchObject({ source: 'customers', units: [{ kind: 'ROLLUP', groups: [0] }], paths: [{ group: 0, rollup: true }], error: null });
    expect(converted!.sql).toMatch(/CustomerDailyRollup/);
    // Retention asks for customers churned after the period's end: the rollup keeps churn days, not that.
    const [retained] = (await explain('retention_rate')).statements;
    expect(retained).toMatchObject({ source: 'customers', paths: [{ group: 0, rollup: false }] });
    expect(retained!.paths[0]!.reason).toBe('the rollup does not keep the condition field churnedAt');
    const [referred] = (await explain('referrals')).statements;
    expect(referred!.paths[0]).toMatchObject({ rollup: false, reason: 'the rollup does not keep the condition field channel' });
  });

  it('shows a derived KPI’s components, and a compute plugin on the plugin path with no statement', async () => {
    const client = createTestClient(db, fixture.workspaceId);
    const derived = await client.execute<{ kpi: { explain: Explanation } }>(explainQuery, { key: 'ltv_cac_ratio', period: year2025 });
    expect(derived.errors).toBeUndefined();
    expect(derived.data!.kpi.explain.cells[0]!.components).toEqual({ ltv: 'ltv', cac: 'cac' });
    expect(derived.data!.kpi.explain.statements.length).toBeGreaterThan(0);
    const compute = await client.execute<{ kpi: { explain: Explanation } }>(explainQuery, { key: 'stage_conversion', period: year2025, params: { stage: 'LEAD' } });
    expect(compute.errors).toBeUndefined();
    expect(compute.data!.kpi.explain).toMatchObject({ path: 'PLUGIN', statements: [], groups: [] });
  });

  it('adds the comparison periods with compareTo, and reports a cell the KPI refuses as INVALID with its reason', async () => {
    const client = createTestClient(db, fixture.workspaceId);
    const compared = await client.execute<{ kpi: { explain: Explanation } }>(explainQuery, { key: 'win_rate', period: year2025, compareTo: 'YEAR_AGO' });
    expect(compared.data!.kpi.explain.cells.map((cell) => cell.start)).toEqual(['2025-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z']);
    expect(compared.data!.kpi.explain.groups[0]!.periods).toHaveLength(2);
    const refused = await client.execute<{ kpi: { explain: Explanation } }>(explainQuery, { key: 'ltv_cac_ratio', period: year2025, by: 'TEAM' });
    expect(refused.data!.kpi.explain.cells[0]).toMatchObject({ path: 'INVALID', error: expect.stringMatching(/cannot be grouped by team/) as unknown });
  });

  it('says CACHE for cells the result cache holds at the current data version', async () => {
    const client = createTestClient(db, fixture.workspaceId, { KPI_CACHE: 'true' });
    const variables = { key: 'won_revenue', period: year2025 };
    expect((await client.execute<{ kpi: { explain: Explanation } }>(explainQuery, variables)).data!.kpi.explain).toMatchObject({ path: 'RAW', cacheEnabled: true });
    await client.execute('query($key: String!, $period: PeriodInput!) { kpi(key: $key) { value(period: $period) { value } } }', variables);
    const cached = (await client.execute<{ kpi: { explain: Explanation } }>(explainQuery, variables)).data!.kpi.explain;
    expect(cached).toMatchObject({ path: 'CACHE', statements: [], groups: [] });
  });

  it('is FORBIDDEN to viewer and editor keys', async () => {
    for (const role of ['VIEWER', 'EDITOR'] as const) {
      const client = createTestClient(db, fixture.workspaceId, {}, { role });
      const result = await client.execute(explainQuery, { key: 'won_revenue', period: year2025 });
      expect(result.errors?.[0]?.extensions?.['code'], role).toBe('FORBIDDEN');
      expect(result.errors?.[0]?.message).toMatch(/may not use KpiDefinition\.explain/);
    }
  });
});
