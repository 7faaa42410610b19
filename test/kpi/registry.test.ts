import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { PluginRegistryError } from '../../src/kpi/errors.js';
import { createRegistry } from '../../src/kpi/registry.js';
import type { KpiDefinition } from '../../src/kpi/sdk.js';
import { customers, deals, defineKpi, payments, ratio, value, z } from '../../src/kpi/sdk.js';
import { attainment, statusAgainstTarget, targetFor } from '../../src/kpi/targets.js';
import { winRate } from './inline-kpis.js';

const kpi = (overrides: Record<string, unknown>): KpiDefinition =>
  ({
    ...defineKpi({
      key: 'leads',
      name: 'Leads',
      description: 'New leads',
      unit: 'count',
      direction: 'higher',
      stages: ['launch'],
      dimensions: ['team'],
      inputs: { leads: customers.count({ time: 'createdAt' }) },
      formula: ({ leads }) => value(leads),
    }),
    ...overrides,
  }) as KpiDefinition;

function problemsOf(entries: { definition: KpiDefinition; source: string }[]): readonly string[] {
  try {
    createRegistry(entries);
  } catch (error) {
    expect(error).toBeInstanceOf(PluginRegistryError);
    return (error as PluginRegistryError).problems;
  }
  throw new Error('expected a PluginRegistryError');
}

describe('createRegistry', () => {
  it('answers get, list and recommended', () => {
    const registry = createRegistry([{ definition: winRate, source: 'a.ts' }, { definition: kpi({}), source: 'b.ts' }]);
    expect(registry.get('win_rate')).toBe(winRate);
    expect(registry.get('nope')).toBeUndefined();
    expect(registry.sourceOf('leads')).toBe('b.ts');
    expect(registry.list().map((k) => k.key)).toEqual(['win_rate', 'leads']);
    expect(registry.recommended('launch').map((k) => k.key)).toEqual(['leads']);
    expect(registry.recommended('mature')).toEqual([]);
  });

  it('reports every problem of every plugin at once, naming source and key', () => {
    const problems = problemsOf([
      { definition: winRate, source: 'plugins/win-rate.ts' },
      { definition: winRate, source: 'partner/win.ts' },
      { definition: kpi({ key: 'NewLeads' }), source: 'x.ts' },
      { definition: kpi({ key: 'bad_dims', dimensions: ['team', 'planet', 'productLine'] }), source: 'dims.ts' },
      { definition: kpi({ key: 'bad_target', unit: 'percent', target: { default: 25 } }), source: 't1.ts' },
      { definition: kpi({ key: 'nan_target', target: { default: Number.NaN, per: 'fortnight' } }), source: 't2.ts' },
      { definition: kpi({ key: 'bad_params', params: { percent: 20 } }), source: 'p.ts' },
      { definition: kpi({ key: 'no_formula', formula: undefined }), source: 'f.ts' },
      { definition: { ...kpi({ key: 'no_compute' }), kind: 'compute' } as KpiDefinition, source: 'c.ts' },
      { definition: kpi({ key: 'bad_enums', unit: 'euros', direction: 'up', stages: ['adolescent'] }), source: 'e.ts' },
      {
        definition: kpi({ key: 'bad_measure', inputs: { x: { kind: 'sum', source: 'deals', time: 'closedAt', field: 'title', where: { colour: 'red' } } } }),
        source: 'm.ts',
      },
    ]);
    const expected = [
      'partner/win.ts (win_rate): duplicate key "win_rate", already defined by plugins/win-rate.ts',
      'x.ts (NewLeads): key "NewLeads" is not snake_case',
      'dims.ts (bad_dims): unknown dimension "planet"',
      'dims.ts (bad_dims): dimension "productLine" cannot be provided by input "leads" (source customers has no productLine)',
      't1.ts (bad_target): target.default = 25 is outside [0, 1]',
      't2.ts (nan_target): target.default must be a finite number',
      't2.ts (nan_target): target.per "fortnight" is not one of',
      'p.ts (bad_params): params must be a zod object',
      'f.ts (no_formula): formula is missing',
      'c.ts (no_compute): compute must be a function',
      'e.ts (bad_enums): unit "euros" is not one of',
      'e.ts (bad_enums): direction "up" is not one of',
      'e.ts (bad_enums): stage "adolescent" is not one of',
      'm.ts (bad_measure): input "x": field "title" is not a numeric field of deals',
      'm.ts (bad_measure): input "x": where field "colour" does not exist on deals',
    ];
    for (const text of expected) expect(problems.some((p) => p.startsWith(text)), text).toBe(true);
    expect(problems).toHaveLength(expected.length);
  });

  it('checks that every input source can provide every dimension', () => {
    const mixed = kpi({
      key: 'revenue_per_lead',
      dimensions: ['region', 'productLine'],
      inputs: { paid: payments.sum({ field: 'amount', time: 'paidAt' }), leads: customers.count({ time: 'createdAt' }) },
      formula: ({ paid, leads }: { paid: Decimal; leads: number }) => ratio(paid, leads),
    });
    expect(problemsOf([{ definition: mixed, source: 'r.ts' }])).toEqual([
      'r.ts (revenue_per_lead): dimension "productLine" cannot be provided by input "leads" (source customers has no productLine)',
    ]);
    const ok = kpi({ key: 'deal_count', dimensions: ['stage', 'campaign'], inputs: { n: deals.count({ time: 'createdAt' }) }, params: z.object({}) });
    expect(() => createRegistry([{ definition: ok, source: 'ok.ts' }])).not.toThrow();
  });
});

describe('targets', () => {
  const validLeads = kpi({ key: 'valid_leads', target: { default: 100, per: 'month', byStage: { launch: 150 } } });
  const q1 = { start: new Date('2024-01-01T00:00:00Z'), end: new Date('2024-04-01T00:00:00Z') };

  it('scales a per-month target with the period, partial months pro rata by days', () => {
    expect(targetFor(validLeads, q1)?.toString()).toBe('300');
    expect(targetFor(validLeads, q1, 'launch')?.toString()).toBe('450');
    expect(targetFor(validLeads, q1, 'mature')?.toString()).toBe('300');
    // 1–16 March: 15 of 31 days.
    const half = targetFor(validLeads, { start: new Date('2024-03-01T00:00:00Z'), end: new Date('2024-03-16T00:00:00Z') });
    expect(half?.toString()).toBe(new Decimal(15).div(31).mul(100).toString());
    // A local month in Berlin is one month, though 743 hours long.
    const march = { start: new Date('2024-02-29T23:00:00Z'), end: new Date('2024-03-31T22:00:00Z') };
    expect(targetFor(validLeads, march, undefined, 'Europe/Berlin')?.toString()).toBe('100');
  });

  it('returns a flat target as is, and null without one', () => {
    expect(targetFor(kpi({ unit: 'percent', target: { default: 0.8 } }), q1)?.toString()).toBe('0.8');
    expect(targetFor(kpi({}), q1)).toBeNull();
  });

  it('judges attainment and status respecting direction', () => {
    const d = (n: number | string) => new Decimal(n);
    expect(attainment(d(150), d(100), 'higher')?.toString()).toBe('1.5');
    expect(attainment(d(80), d(100), 'lower')?.toString()).toBe('1.25');
    expect(attainment(d(0), d(100), 'lower')).toBeNull();
    expect(attainment(null, d(100), 'higher')).toBeNull();
    expect(statusAgainstTarget(d(100), d(100), 'higher')).toBe('ON_TARGET');
    expect(statusAgainstTarget(d('99.99'), d(100), 'higher')).toBe('OFF_TARGET');
    expect(statusAgainstTarget(d(60), d(61), 'lower')).toBe('ON_TARGET');
    expect(statusAgainstTarget(d(62), d(61), 'lower')).toBe('OFF_TARGET');
    expect(statusAgainstTarget(null, d(1), 'higher')).toBe('NO_VALUE');
    expect(statusAgainstTarget(d(1), null, 'higher')).toBe('NO_TARGET');
  });
});
