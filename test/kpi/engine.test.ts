import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { KpiCellKey } from '../../src/kpi/cell.js';
import type { KpiBatchStats } from '../../src/kpi/engine.js';
import { createKpiLoader } from '../../src/kpi/engine.js';
import { KpiInputError, KpiPluginError } from '../../src/kpi/errors.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createRegistry } from '../../src/kpi/registry.js';
import type { CellValues, ComputeContext, KpiCell, KpiDefinition } from '../../src/kpi/sdk.js';
import { defineKpi, value, z } from '../../src/kpi/sdk.js';
import { countStatements, createTestDatabase } from '../support/database.js';
import { inlineKpis, monthsOf } from './inline-kpis.js';

let db: Database;
let a: Fixture;
let b: Fixture;
const feb = { start: new Date('2024-02-01T00:00:00Z'), end: new Date('2024-03-01T00:00:00Z') };
const mar = { start: new Date('2024-03-01T00:00:00Z'), end: new Date('2024-04-01T00:00:00Z') };
const jun = { start: new Date('2024-06-01T00:00:00Z'), end: new Date('2024-07-01T00:00:00Z') };

beforeAll(async () => {
  db = await createTestDatabase();
  a = await createFixture(db, {
    users: [{ name: 'Ann', team: 'North' }, { name: 'Bob', team: 'South' }, { name: 'Cid' }],
    customers: [
      { name: 'c1', owner: 'Ann', region: 'DE', createdAt: '2024-01-10T00:00:00Z', convertedAt: '2024-02-15T00:00:00Z', churnedAt: '2024-06-10T00:00:00Z' },
      { name: 'c2', owner: 'Bob', region: 'FR', createdAt: '2024-02-01T00:00:00Z', convertedAt: '2024-03-01T00:00:00Z' },
      { name: 'c3', owner: 'Ann', region: 'DE', createdAt: '2024-03-05T00:00:00Z' },
    ],
    deals: [
      { name: 'd1', customer: 'c1', amount: '1000.10', stage: 'WON', createdAt: '2024-01-10T00:00:00Z', closedAt: '2024-02-15T00:00:00Z' },
      // Closed exactly at the end of February: it belongs to March.
      { name: 'd2', customer: 'c2', amount: '2000.20', stage: 'WON', createdAt: '2024-02-01T00:00:00Z', closedAt: '2024-03-01T00:00:00Z' },
      { name: 'd3', customer: 'c1', amount: '10.00', stage: 'LOST', createdAt: '2024-02-01T00:00:00Z', closedAt: '2024-02-20T00:00:00Z' },
      { name: 'd4', customer: 'c3', amount: '500.05', stage: 'PROPOSAL', createdAt: '2024-03-05T00:00:00Z' },
      { name: 'd5', customer: 'c2', owner: 'Cid', amount: '300.00', stage: 'WON', createdAt: '2024-03-01T00:00:00Z', closedAt: '2024-03-11T00:00:00Z' },
    ],
    payments: [
      { customer: 'c1', amount: '100.10', paidAt: '2024-02-20T00:00:00Z' },
      { customer: 'c1', amount: '0.20', paidAt: '2024-02-21T00:00:00Z' },
      { customer: 'c2', amount: '50.00', paidAt: '2024-03-02T00:00:00Z' },
    ],
  });
  // Another workspace whose rows would change every number of `a` if they leaked.
  b = await createFixture(db, {
    users: [{ name: 'Zed', team: 'North' }],
    customers: [{ name: 'z1', owner: 'Zed', convertedAt: '2024-01-05T00:00:00Z' }],
    deals: [
      { customer: 'z1', stage: 'WON', amount: '9999.99', closedAt: '2024-02-10T00:00:00Z' },
      { customer: 'z1', stage: 'WON', amount: '9999.99', closedAt: '2024-02-11T00:00:00Z' },
    ],
    payments: [{ customer: 'z1', amount: '777.77', paidAt: '2024-02-12T00:00:00Z' }],
  });
});
afterAll(async () => db?.close());

const registry = createRegistry(inlineKpis.map((definition) => ({ definition, source: `inline:${definition.key}` })));
const loaderFor = (fixture: Fixture, onBatch?: (stats: KpiBatchStats) => void) =>
  createKpiLoader({ db, workspaceId: fixture.workspaceId, timeZone: 'UTC', registry, options: onBatch ? { onBatch } : {} });
const text = (values: CellValues, key = '*'): string | null | undefined => {
  const result = values.get(key);
  return result === undefined ? undefined : (result.value?.toString() ?? null);
};

describe('values', () => {
  it('computes each inputs KPI exactly, with boundaries and decimals', async () => {
    const loader = loaderFor(a);
    const get = async (kpiKey: string, period = feb) => text(await loader.load({ kpiKey, period }));
    // February: d1 won, d3 lost; d2 closed at 1 March 00:00 belongs to March.
    expect(await get('win_rate')).toBe('0.5');
    expect(await get('win_rate', mar)).toBe('1');
    expect(await get('won_revenue')).toBe('1000.1');
    expect(await get('won_revenue', mar)).toBe('2300.2');
    expect(await get('avg_deal_size', mar)).toBe('1150.1');
    // d1: 10 Jan → 15 Feb = 36 days; March: d2 29 days, d5 10 days → 19.5.
    expect(await get('sales_cycle_days')).toBe('36');
    expect(await get('sales_cycle_days', mar)).toBe('19.5');
    // Open at 1 March: d2 (closed at, not before, the end).
    expect(await get('open_deals')).toBe('1');
    expect(await get('pipeline_value')).toBe('2000.2');
    expect(await get('pipeline_value', mar)).toBe('500.05');
    // Active at 1 March: c1 only (c2 converted exactly at the end).
    expect(await get('active_customers')).toBe('1');
    expect(await get('active_customers', mar)).toBe('2');
    expect(await get('churn_rate', jun)).toBe('0.5');
    expect(await get('revenue')).toBe('100.3');
    const january = (await loader.load({ kpiKey: 'churn_rate', period: monthsOf(2024)[0]! })).get('*')!;
    expect(january.value).toBeNull();
    expect(january.reason?.code).toBe('ZERO_DENOMINATOR');
  });

  it('groups by team, with records of no team under "(none)"', async () => {
    const values = await loaderFor(a).load({ kpiKey: 'win_rate', period: mar, groupBy: 'team' });
    expect(Object.fromEntries([...values].map(([k, v]) => [k, v.value?.toString()]))).toEqual({
      [String(a.ids.teams['South'])]: '1',
      '(none)': '1',
    });
    const filtered = await loaderFor(a).load({ kpiKey: 'won_revenue', period: mar, filter: { region: ['FR'] }, groupBy: 'owner' });
    expect(text(filtered, String(a.ids.users['Bob']))).toBe('2000.2');
    expect(text(filtered, String(a.ids.users['Cid']))).toBe('300');
  });

  it('never lets one workspace see another', async () => {
    expect(text(await loaderFor(a).load({ kpiKey: 'win_rate', period: feb }))).toBe('0.5');
    expect(text(await loaderFor(b).load({ kpiKey: 'win_rate', period: feb }))).toBe('1');
    expect(text(await loaderFor(a).load({ kpiKey: 'revenue', period: feb }))).toBe('100.3');
    expect(text(await loaderFor(b).load({ kpiKey: 'revenue', period: feb }))).toBe('777.77');
    const northOfA = await loaderFor(a).load({ kpiKey: 'won_revenue', period: feb, filter: { team: [String(b.ids.teams['North'])] } });
    expect(text(northOfA)).toBe('0');
  });
});

describe('batching', () => {
  it('runs one statement per source: 12 KPIs × 12 months × by team = 144 cells, 8 measure groups, 3 statements', async () => {
    const batches: KpiBatchStats[] = [];
    const loader = loaderFor(a, (stats) => batches.push(stats));
    const cells: KpiCellKey[] = inlineKpis.flatMap((kpi) => monthsOf(2024).map((period) => ({ kpiKey: kpi.key, period, groupBy: 'team' as const })));
    expect(cells).toHaveLength(144);
    const { result, statements } = await countStatements(db, () => Promise.all(cells.map((cell) => loader.load(cell))));
    // Groups: deals by closedAt (4 KPIs), deals open snapshot (2), deals by createdAt,
    // customers by createdAt, convertedAt, churnedAt, the active-customer snapshot
    // (churn_rate at start and active_customers at end share it), payments by paidAt.
    // They touch three sources (deals, customers, payments): one statement each,
    // the groups of a source being branches of one UNION ALL.
    expect(statements).toHaveLength(3);
    expect(statements.length).toBeLessThan(cells.length / 10);
    expect(batches).toEqual([{ cells: 144, invalidCells: 0, measureGroups: 8, statements: 3, computeCalls: 0, measureGroupPaths: expect.any(Array) }]);
    // Whole months of the workspace's zone: the deals' and customers' groups read their daily rollups, the payments their rows.
    expect(batches[0]!.measureGroupPaths.map((group) => `${group.source} ${group.path}`).sort()).toEqual([
      ...Array<string>(4).fill('customers rollup'),
      ...Array<string>(3).fill('deals rollup'),
      'payments raw',
    ]);
    // Rows name the workspace directly, rollups through their parallel-restricted function.
    for (const sql of statements) expect(sql).toMatch(/t\."workspaceId" = \$1|r\."workspaceId" = "kpigraph_rollup_workspace"\(\$1/);
    const marchWinRate = result[inlineKpis.findIndex((k) => k.key === 'win_rate') * 12 + 2]!;
    expect(text(marchWinRate, String(a.ids.teams['South']))).toBe('1');
  });

  it('returns values in key order, de-duplicating equal cells', async () => {
    const loader = loaderFor(a);
    const keys: KpiCellKey[] = [
      { kpiKey: 'won_revenue', period: mar },
      { kpiKey: 'win_rate', period: feb },
      { kpiKey: 'won_revenue', period: feb },
      { kpiKey: 'win_rate', period: mar, filter: {}, params: {} },
      { kpiKey: 'win_rate', period: feb, groupBy: null },
    ];
    const { result, statements } = await countStatements(db, () => loader.loadMany(keys));
    expect(result.map((values) => (values instanceof Error ? values : text(values)))).toEqual(['2300.2', '0.5', '1000.1', '1', '0.5']);
    expect(statements).toHaveLength(1);
  });

  it('fails bad cells one by one, naming the input at fault', async () => {
    const loader = loaderFor(a);
    const results = await loader.loadMany([
      { kpiKey: 'no_such_kpi', period: feb },
      { kpiKey: 'win_rate', period: feb, filter: { channel: ['search'] } },
      { kpiKey: 'win_rate', period: feb, groupBy: 'productLine' },
      { kpiKey: 'win_rate', period: feb, params: { percent: 5 } },
      { kpiKey: 'win_rate', period: { start: feb.end, end: feb.start } },
      { kpiKey: 'win_rate', period: feb },
    ]);
    const fields = results.map((r) => (r instanceof KpiInputError ? r.field : r instanceof Error ? r.message : 'ok'));
    expect(fields).toEqual(['kpiKey', 'filter.channel', 'groupBy', 'params.percent', 'period', 'ok']);
    expect((results[1] as Error).message).toMatch(/cannot be filtered by channel/);
  });
});

describe('compute plugins', () => {
  let calls = 0;
  const compute = (key: string, extra: Partial<KpiDefinition>, run: (cells: readonly KpiCell[], ctx: ComputeContext) => Promise<readonly CellValues[]>) =>
    ({ ...defineKpi({ key, name: key, description: key, unit: 'count', direction: 'none', stages: [], dimensions: [], compute: run }), ...extra }) as KpiDefinition;
  const plugins: KpiDefinition[] = [
    inlineKpis[0]!,
    compute('exploding', {}, () => Promise.reject(new Error('boom'))),
    compute('sluggish', { timeoutMs: 50 }, () => new Promise((resolve) => setTimeout(() => resolve([]), 2_000))),
    compute('deal_total', {}, async (cells, ctx) => {
      calls++;
      const [row] = await ctx.query<{ n: number }>('SELECT count(*)::int AS n FROM {{deals}} d WHERE d.amount > $1', [0]);
      return cells.map(() => new Map([['*', value(row!.n)]]));
    }),
    compute('sneaky', {}, async (cells, ctx) => {
      await ctx.query('SELECT count(*) FROM "Deal"');
      return cells.map(() => new Map());
    }),
  ];
  const pluginRegistry = createRegistry(plugins.map((definition) => ({ definition, source: `plugins/${definition.key}.ts` })));
  const paramRegistry = createRegistry([
    { definition: defineKpi({ key: 'with_params', name: 'p', description: 'p', unit: 'count', direction: 'none', stages: [], dimensions: [],
      params: z.object({ percent: z.number().max(100) }), compute: async (cells) => cells.map(() => new Map()) }), source: 'p.ts' },
  ]);

  it('fails only the throwing and the slow plugin, in one compute call per KPI', async () => {
    const loader = createKpiLoader({ db, workspaceId: a.workspaceId, timeZone: 'UTC', registry: pluginRegistry });
    const started = Date.now();
    const results = await loader.loadMany([
      { kpiKey: 'exploding', period: feb },
      { kpiKey: 'win_rate', period: feb },
      { kpiKey: 'sluggish', period: feb },
      ...monthsOf(2024).map((period) => ({ kpiKey: 'deal_total', period })),
      { kpiKey: 'sneaky', period: feb },
    ]);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(results[0]).toBeInstanceOf(KpiPluginError);
    expect((results[0] as Error).message).toMatch(/"exploding" \(plugins\/exploding\.ts\) failed: boom/);
    expect(text(results[1] as CellValues)).toBe('0.5');
    expect(results[2]).toBeInstanceOf(KpiPluginError);
    expect((results[2] as KpiPluginError).code).toBe('TIMEOUT');
    expect((results[2] as Error).message).toMatch(/"sluggish".*timed out after 50 ms/);
    // Scoped placeholder: workspace a has 5 deals, b has 2 more.
    expect(results.slice(3, 15).map((r) => text(r as CellValues))).toEqual(Array(12).fill('5'));
    expect(calls).toBe(1);
    expect((results[15] as Error).message).toMatch(/may not name the table "Deal" directly/);
  });

  it('validates params against the zod schema', async () => {
    const loader = createKpiLoader({ db, workspaceId: a.workspaceId, timeZone: 'UTC', registry: paramRegistry });
    const [tooBig, missing] = await loader.loadMany([
      { kpiKey: 'with_params', period: feb, params: { percent: 200 } },
      { kpiKey: 'with_params', period: feb },
    ]);
    expect(tooBig).toBeInstanceOf(KpiInputError);
    expect((tooBig as KpiInputError).field).toBe('params.percent');
    expect((missing as KpiInputError).field).toBe('params.percent');
  });
});
