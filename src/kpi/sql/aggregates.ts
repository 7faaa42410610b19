/**
 * A measure as SQL aggregates, shared by both compilers: a count, a sum, or
 * for a mean the sum and the count of rows where the value is present.
 */
import type { Measure, SourceName } from '../measures.js';
import { dataModel } from './data-model.js';

const secondsPer = { days: 86_400, hours: 3_600 } as const;

/** One aggregate column of a measure. */
export interface AggregatePart {
  /** Equal for equal aggregates of the same measure condition (the caller adds the condition's key). */
  key: string;
  kind: 'count' | 'sum';
  /** The aggregate SQL, rendered on demand: rendering adds the condition's parameters. */
  sql(): string;
}

/** Checks a column against the data model and returns it on the row `t`. */
export function checkColumn(source: SourceName, column: string, allowed: readonly string[], what: string): string {
  if (!allowed.includes(column)) throw new Error(`Unknown ${what} "${column}" on ${source}`);
  return `t."${column}"`;
}

const filtered = (aggregate: string, conditions: (string | null)[]): string => {
  const all = conditions.filter((c): c is string => c !== null);
  return all.length === 0 ? aggregate : `${aggregate} FILTER (WHERE ${all.join(' AND ')})`;
};

/**
 * The aggregates of a measure over rows `t`. `where` renders the measure's
 * condition (null: every row); it is called at most once, when a part is
 * first rendered, so that an aggregate merged away adds no parameters.
 */
export function measureAggregates(source: SourceName, measure: Measure, where: () => string | null): { parts: AggregatePart[]; divisor: number } {
  const model = dataModel[source];
  let rendered: { sql: string | null } | undefined;
  const condition = (): string | null => (rendered ??= { sql: where() }).sql;
  switch (measure.kind) {
    case 'count':
    case 'snapshotCount':
      return { parts: [{ key: 'count', kind: 'count', sql: () => `${filtered('count(*)', [condition()])}::int` }], divisor: 1 };
    case 'distinctCount': {
      const column = checkColumn(source, measure.field, model.distinctFields, 'distinct field');
      return { parts: [{ key: `distinct:${column}`, kind: 'count', sql: () => `${filtered(`count(DISTINCT ${column})`, [condition()])}::int` }], divisor: 1 };
    }
    case 'sum':
    case 'snapshotSum': {
      const column = checkColumn(source, measure.field, model.numericFields, 'numeric field');
      // Sums travel as text, so that money stays exact.
      return { parts: [{ key: `sum:${column}`, kind: 'sum', sql: () => `coalesce(${filtered(`sum(${column})`, [condition()])}, 0)::text` }], divisor: 1 };
    }
    case 'mean': {
      let value: string;
      let present: string;
      let divisor = 1;
      if (typeof measure.of === 'string') {
        value = checkColumn(source, measure.of, model.numericFields, 'numeric field');
        present = `${value} IS NOT NULL`;
      } else {
        const from = checkColumn(source, measure.of.from, model.timeFields, 'time field');
        const to = checkColumn(source, measure.of.to, model.timeFields, 'time field');
        // Exact seconds, divided in decimal.js, so that means stay exact.
        value = `extract(epoch from (${to} - ${from}))`;
        present = `${from} IS NOT NULL AND ${to} IS NOT NULL`;
        divisor = secondsPer[measure.of.in];
      }
      return {
        parts: [
          { key: `meanSum:${value}`, kind: 'sum', sql: () => `coalesce(${filtered(`sum(${value})`, [condition(), present])}, 0)::text` },
          { key: `meanCount:${present}`, kind: 'count', sql: () => `${filtered('count(*)', [condition(), present])}::int` },
        ],
        divisor,
      };
    }
  }
}
