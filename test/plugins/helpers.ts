import { Decimal } from 'decimal.js';
import { expect } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { builtInPlugins } from '../../plugins/index.js';
import type { KpiPlugin } from '../../src/kpi/define.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { evaluateKpi } from '../../src/testing/testkit.js';
import type { Dimension, DimensionFilter, KpiResult, NullReason, TimeRange } from '../../src/kpi/types.js';

/** A calendar month in UTC, `[first day, first day of the next month)`. */
export function month(year: number, monthNumber: number): TimeRange {
  return { start: new Date(Date.UTC(year, monthNumber - 1, 1)), end: new Date(Date.UTC(year, monthNumber, 1)) };
}

/** A calendar year in UTC. */
export function year(fullYear: number): TimeRange {
  return { start: new Date(Date.UTC(fullYear, 0, 1)), end: new Date(Date.UTC(fullYear + 1, 0, 1)) };
}

export interface Cell {
  filter?: DimensionFilter;
  params?: Record<string, unknown>;
  groupBy?: Dimension | null;
}

/** Evaluates one cell of a KPI over a fixture through the engine's test kit. */
export function evaluator(getDb: () => Database, getFixture: () => Fixture) {
  return (definition: KpiPlugin, period: TimeRange, cell: Cell = {}): Promise<ReadonlyMap<string, KpiResult>> =>
    evaluateKpi(
      getDb(),
      { ...getFixture().scope, ...(definition.kind === 'derived' ? { components: builtInPlugins.map((plugin) => plugin.definition) } : {}) },
      definition,
      { period, ...cell },
    );
}

/** The value of an ungrouped cell. */
export function single(values: ReadonlyMap<string, KpiResult>): KpiResult {
  const result = values.get('*');
  expect(result, 'an ungrouped cell has one value under "*"').toBeDefined();
  return result!;
}

/** Asserts an exact value, e.g. `'0.3'` for 0.10 + 0.20. */
export function expectValue(result: KpiResult | undefined, expected: Decimal.Value): void {
  expect(result, 'a result').toBeDefined();
  expect(result!.reason).toBeUndefined();
  expect(result!.value?.toString()).toBe(new Decimal(expected).toString());
}

/** Asserts a value rounded to `places` decimals, for repeating fractions (1/3). */
export function expectRounded(result: KpiResult | undefined, expected: string, places = 10): void {
  expect(result, 'a result').toBeDefined();
  expect(result!.reason).toBeUndefined();
  expect(result!.value?.toDecimalPlaces(places).toFixed(places)).toBe(new Decimal(expected).toFixed(places));
}

/** Asserts no value, with the given reason code. */
export function expectNull(result: KpiResult | undefined, code: NullReason['code'] = 'ZERO_DENOMINATOR'): void {
  expect(result, 'a result').toBeDefined();
  expect(result!.value).toBeNull();
  expect(result!.reason?.code).toBe(code);
  expect(result!.reason?.message).toBeTruthy();
}
