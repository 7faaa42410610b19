import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { derivedOrigin } from '../../src/kpi/derived.js';
import type { KpiBatchStats } from '../../src/kpi/engine.js';
import { createKpiLoader } from '../../src/kpi/engine.js';
import { PluginRegistryError } from '../../src/kpi/errors.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createRegistry } from '../../src/kpi/registry.js';
import type { KpiPlugin } from '../../src/kpi/sdk.js';
import { Decimal, defineKpi, ratio, value, z } from '../../src/kpi/sdk.js';
import { createTestDatabase } from '../support/database.js';
import { inlineKpis } from './inline-kpis.js';

const base = { description: 'test KPI', stages: ['growth'] as const, params: z.object({}) };

/** Won revenue per active customer: money ÷ count. */
const revenuePerActive = defineKpi({
  ...base,
  key: 'revenue_per_active',
  name: 'Won revenue per active customer',
  unit: 'money',
  direction: 'higher',
  dimensions: ['team', 'region'],
  derived: { revenue: 'won_revenue', active: 'active_customers' },
  formula: ({ revenue, active }) => ratio(revenue, active, 'the number of active customers'),
});

/** Derived from a derived KPI: twice the revenue per active customer, with a scale parameter. */
const doubled = defineKpi({
  ...base,
  key: 'doubled',
  name: 'Doubled',
  unit: 'money',
  direction: 'higher',
  dimensions: ['team'],
  params: z.object({ factor: z.number().default(2) }),
  derived: { perActive: 'revenue_per_active' },
  formula: ({ perActive }, { params }) => value(perActive.mul(params.factor)),
});

const registryOf = (plugins: readonly KpiPlugin[]) => createRegistry(plugins.map((definition) => ({ definition, source: `inline:${definition.key}` })));
const registry = registryOf([...inlineKpis, revenuePerActive, doubled]);

let db: Database;
let fixture: Fixture;
const mar = { start: new Date('2024-03-01T00:00:00Z'), end: new Date('2024-04-01T00:00:00Z') };
const jan = { start: new Date('2024-01-01T00:00:00Z'), end: new Date('2024-02-01T00:00:00Z') };

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await createFixture(db, {
    users: [{ name: 'Ann', team: 'North' }, { name: 'Bob', team: 'South' }],
    customers: [
      { name: 'c1', owner: 'Ann', region: 'DE', createdAt: '2024-01-10T00:00:00Z', convertedAt: '2024-02-15T00:00:00Z' },
      { name: 'c2', owner: 'Bob', region: 'FR', createdAt: '2024-02-01T00:00:00Z', convertedAt: '2024-03-01T00:00:00Z' },
      { name: 'c3', owner: 'Ann', region: 'DE', createdAt: '2024-03-05T00:00:00Z', convertedAt: '2024-03-06T00:00:00Z' },
    ],
    deals: [
      { customer: 'c1', amount: '1000.10', stage: 'WON', createdAt: '2024-01-10T00:00:00Z', closedAt: '2024-03-15T00:00:00Z' },
      { customer: 'c2', amount: '2000.20', stage: 'WON', createdAt: '2024-02-01T00:00:00Z', closedAt: '2024-03-01T00:00:00Z' },
    ],
  });
});
afterAll(async () => db?.close());

describe('a derived KPI', () => {
  it('computes its formula over its components’ values and lists them', async () => {
    const loader = createKpiLoader({ db, workspaceId: fixture.workspaceId, timeZone: 'UTC', registry });
    // March: won 1000.10 + 2000.20 = 3000.30; active at 1 April: c1, c2, c3 = 3; 3000.30 / 3 = 1000.10.
    const result = (await loader.load({ kpiKey: 'revenue_per_active', period: mar })).get('*')!;
    expect(result.value?.toFixed()).toBe('1000.1');
    expect(result.components?.map((c) => [c.name, c.kpiKey, c.result.value?.toFixed()])).toEqual([
      ['revenue', 'won_revenue', '3000.3'],
      ['active', 'active_customers', '3'],
    ]);
  });

  it('is computed per group in a breakdown: North 1000.10 / 2 active, South 2000.20 / 1', async () => {
    const loader = createKpiLoader({ db, workspaceId: fixture.workspaceId, timeZone: 'UTC', registry });
    const values = await loader.load({ kpiKey: 'revenue_per_active', period: mar, groupBy: 'team' });
    const byTeam = [...values.values()].map((result) => result.value?.toFixed()).sort();
    expect(byTeam).toEqual(['2000.2', '500.05']);
  });

  it('has no value, with the missing component’s reason, when a component has none', async () => {
    const loader = createKpiLoader({ db, workspaceId: fixture.workspaceId, timeZone: 'UTC', registry });
    // January: nobody is active at 1 February, so active_customers is 0 and the ratio has no value.
    const zero = (await loader.load({ kpiKey: 'revenue_per_active', period: jan })).get('*')!;
    expect(zero.value).toBeNull();
    expect(zero.reason).toEqual({ code: 'ZERO_DENOMINATOR', message: 'No value: the number of active customers is zero in this period.' });
    // One level up, the null of revenue_per_active is named as the component's.
    const nested = (await loader.load({ kpiKey: 'doubled', period: jan })).get('*')!;
    expect(nested.value).toBeNull();
    expect(nested.reason?.code).toBe('ZERO_DENOMINATOR');
    expect(nested.reason?.message).toBe(
      'Won revenue per active customer (revenue_per_active) has no value: No value: the number of active customers is zero in this period.',
    );
  });

  it('passes its params on and can be derived from a derived KPI', async () => {
    const loader = createKpiLoader({ db, workspaceId: fixture.workspaceId, timeZone: 'UTC', registry });
    expect((await loader.load({ kpiKey: 'doubled', period: mar })).get('*')!.value?.toFixed()).toBe('2000.2');
    expect((await loader.load({ kpiKey: 'doubled', period: mar, params: { factor: 0.5 } })).get('*')!.value?.toFixed()).toBe('500.05');
    expect(derivedOrigin(registry.get('doubled')!)).toEqual({ components: { perActive: 'revenue_per_active' } });
  });

  it('costs no statement of its own: asked with its components, a batch still runs one statement per source', async () => {
    const batches: KpiBatchStats[] = [];
    const loader = createKpiLoader({ db, workspaceId: fixture.workspaceId, timeZone: 'UTC', registry, options: { onBatch: (stats) => batches.push(stats) } });
    const values = await Promise.all(
      ['won_revenue', 'active_customers', 'revenue_per_active', 'doubled'].map((kpiKey) => loader.load({ kpiKey, period: mar })),
    );
    expect(values.map((v) => v.get('*')!.value?.toFixed())).toEqual(['3000.3', '3', '1000.1', '2000.2']);
    // deals and customers: two sources, two statements.
    expect(batches).toHaveLength(1);
    expect(batches[0]!.statements).toBe(2);
  });
});

describe('the registry', () => {
  const problemsOf = (plugins: readonly KpiPlugin[]): readonly string[] => {
    try {
      registryOf(plugins);
    } catch (error) {
      if (error instanceof PluginRegistryError) return error.problems;
      throw error;
    }
    return [];
  };
  const derivedKpi = (key: string, derived: Record<string, string>, dimensions: ('team' | 'region' | 'channel')[] = []) =>
    defineKpi({ ...base, key, name: key, unit: 'ratio', direction: 'higher', dimensions, derived, formula: () => value(new Decimal(1)) });

  it('refuses unknown and circular components (naming each KPI of the cycle) and dimensions a component does not offer, all at once', () => {
    expect(
      problemsOf([
        ...inlineKpis,
        derivedKpi('unknown_part', { x: 'no_such_kpi' }),
        derivedKpi('loop_a', { b: 'loop_b' }),
        derivedKpi('loop_b', { a: 'loop_a' }),
        derivedKpi('by_channel', { w: 'win_rate' }, ['channel']),
      ]),
    ).toEqual([
      'inline:unknown_part (unknown_part): component "x" names "no_such_kpi", which is not a registered KPI',
      'inline:loop_b (loop_b): component "a" (loop_a) is derived from this KPI itself: derived KPIs cannot form a cycle',
      'inline:loop_a (loop_a): component "b" (loop_b) is derived from this KPI itself: derived KPIs cannot form a cycle',
      'inline:by_channel (by_channel): dimension "channel" is not offered by component "w" (win_rate offers team, owner, region)',
    ]);
  });

  it('refuses a compute KPI as a component', () => {
    const computed = defineKpi({ ...base, key: 'computed', name: 'c', unit: 'count', direction: 'none', dimensions: [], compute: () => Promise.resolve([]) });
    expect(problemsOf([computed, derivedKpi('over_compute', { c: 'computed' })])).toEqual([
      'inline:over_compute (over_compute): component "c" (computed) computes with its own query (compute) and cannot be part of a derived KPI',
    ]);
  });

  it('lists a derived KPI as an inputs KPI carrying its components’ measures', () => {
    const resolved = registry.get('revenue_per_active')!;
    expect(resolved.kind).toBe('inputs');
    expect(resolved.kind === 'inputs' && Object.keys(resolved.inputs)).toEqual(['revenue.revenue', 'active.active']);
  });
});
