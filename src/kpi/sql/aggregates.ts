/**
 * A measure as aggregate parts, shared by both compilers: a row count, a sum
 * or a distinct count of an expression, each under the measure's condition
 * and, for a mean, the condition that its value is present.
 */
import type { Measure, SourceName } from '../measures.js';
import { dataModel } from './data-model.js';

const secondsPer = { days: 86_400, hours: 3_600 } as const;

/** One aggregate of a measure over rows `t`. */
export interface AggregatePart {
  kind: 'count' | 'sum' | 'distinct';
  /** The summed or distinct-counted expression; null for a row count. */
  value: string | null;
  /** A condition beyond the measure's own (a mean's value being present); null for none. */
  present: string | null;
}

/** Checks a column against the data model and returns it on the row `t`. */
export function checkColumn(source: SourceName, column: string, allowed: readonly string[], what: string): string {
  if (!allowed.includes(column)) throw new Error(`Unknown ${what} "${column}" on ${source}`);
  return `t."${column}"`;
}

/** The aggregate parts of a measure and the divisor its sum is read with (seconds to days or hours). */
export function measureAggregates(source: SourceName, measure: Measure): { parts: AggregatePart[]; divisor: number } {
  const model = dataModel[source];
  switch (measure.kind) {
    case 'count':
    case 'snapshotCount':
      return { parts: [{ kind: 'count', value: null, present: null }], divisor: 1 };
    case 'distinctCount':
      return { parts: [{ kind: 'distinct', value: checkColumn(source, measure.field, model.distinctFields, 'distinct field'), present: null }], divisor: 1 };
    case 'sum':
    case 'snapshotSum':
      return { parts: [{ kind: 'sum', value: checkColumn(source, measure.field, model.numericFields, 'numeric field'), present: null }], divisor: 1 };
    case 'mean': {
      const { value, present, divisor } = valueOf(source, measure.of);
      return { parts: [{ kind: 'sum', value, present }, { kind: 'count', value: null, present }], divisor };
    }
    case 'percentile':
      throw new Error('A percentile is no aggregate part: sql/percentile.ts compiles it on its own.');
  }
}

/** The value expression of a mean or percentile over rows `t`, and the divisor it is read with. */
export function valueOf(source: SourceName, of: Extract<Measure, { kind: 'mean' }>['of']): { value: string; present: string; divisor: number } {
  const model = dataModel[source];
  if (typeof of === 'string') {
    const value = checkColumn(source, of, model.numericFields, 'numeric field');
    return { value, present: `${value} IS NOT NULL`, divisor: 1 };
  }
  const from = checkColumn(source, of.from, model.timeFields, 'time field');
  const to = checkColumn(source, of.to, model.timeFields, 'time field');
  // Exact seconds, divided in decimal.js, so that the value stays exact.
  return { value: `extract(epoch from (${to} - ${from}))`, present: `${from} IS NOT NULL AND ${to} IS NOT NULL`, divisor: secondsPer[of.in] };
}

/** `aggregate FILTER (WHERE …)` over the conditions given, or the bare aggregate when there are none. */
export function filtered(aggregate: string, conditions: readonly (string | null)[]): string {
  const all = conditions.filter((c): c is string => c !== null);
  return all.length === 0 ? aggregate : `${aggregate} FILTER (WHERE ${all.join(' AND ')})`;
}

/** A part as one aggregate over rows `t` under the measure's condition. Sums travel as text, so money stays exact. */
export function aggregateSql(part: AggregatePart, where: string | null): string {
  switch (part.kind) {
    case 'count':
      return `${filtered('count(*)', [where, part.present])}::int`;
    case 'distinct':
      return `${filtered(`count(DISTINCT ${part.value})`, [where, part.present])}::int`;
    case 'sum':
      return `coalesce(${filtered(`sum(${part.value})`, [where, part.present])}, 0)::text`;
  }
}
