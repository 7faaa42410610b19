/**
 * Drill-through: the records behind a count or money KPI's value — the rows
 * its one count or sum measure counts or sums over a period within a filter.
 * Rates, averages and snapshots have no such list (their value is not made
 * of the rows in the period alone), so they are refused, naming why.
 */
import type { Database } from '../db/client.js';
import { isAdditive } from './additive.js';
import type { KpiDefinition } from './define.js';
import { KpiInputError } from './errors.js';
import type { CountMeasure, Measure, SourceName, SumMeasure } from './measures.js';
import type { RecordIdRow, RecordPosition } from './sql/record-ids.js';
import { compileRecordCount, compileRecordIds } from './sql/record-ids.js';
import type { DimensionFilter, TimeRange } from './types.js';

/** The measure whose rows make a count or money KPI's value. */
export type NumeratorMeasure = CountMeasure | SumMeasure;

const summable = (measure: Measure): measure is NumeratorMeasure => measure.kind === 'count' || measure.kind === 'sum';

/**
 * The KPI's numerator measure: its only count or sum input. A KPI that is
 * not a count or money total, reads a snapshot or several measures, or
 * computes its own values is a `KpiInputError` naming `field` and the KPI.
 */
export function numeratorMeasure(definition: KpiDefinition, field: string): NumeratorMeasure {
  const { key } = definition;
  const refuse = (why: string): never => {
    throw new KpiInputError(field, `KPI "${key}" ${why}, so its records cannot be listed.`);
  };
  if (definition.unit !== 'count' && definition.unit !== 'money') refuse(`is a ${definition.unit}, not a count or money total`);
  if (definition.kind !== 'inputs') return refuse('computes its values with its own query');
  const measures = Object.values(definition.inputs);
  if (measures.some((measure) => measure.kind === 'snapshotCount' || measure.kind === 'snapshotSum')) refuse('counts records alive at an instant (a snapshot), not records of the period');
  if (!isAdditive(definition)) refuse('is an average or level, not a total of its records');
  const [measure] = measures;
  if (measures.length !== 1 || !measure) return refuse(`is computed from ${measures.length} measures, not one count or sum`);
  if (!summable(measure)) return refuse(`is a ${measure.kind} of its records, not a count or sum`);
  return measure;
}

export interface RecordsQuery {
  measure: NumeratorMeasure;
  filter: DimensionFilter;
  period: TimeRange;
  first: number;
  after: RecordPosition | null;
}

export interface RecordPage {
  source: SourceName;
  /** The page's records, newest first, with where each sits (for cursors). */
  rows: RecordIdRow[];
  /** Whether records follow the page. */
  hasNextPage: boolean;
  /** How many records there are over all pages; counted when called. */
  totalCount: () => Promise<number>;
}

/** Reads pages of a measure's records in one workspace. */
export class RecordDrill {
  constructor(
    private readonly db: Database,
    private readonly workspaceId: number,
  ) {}

  async page(query: RecordsQuery): Promise<RecordPage> {
    const base = { workspaceId: this.workspaceId, measure: query.measure, filter: query.filter, period: query.period };
    // One more row than asked says whether another page follows.
    const statement = compileRecordIds(base, query.first + 1, query.after);
    const { rows } = await this.db.query<RecordIdRow>(statement.sql, statement.params);
    let counted: Promise<number> | undefined;
    const totalCount = (): Promise<number> => {
      counted ??= (async () => {
        const count = compileRecordCount(base);
        const result = await this.db.query<{ n: number }>(count.sql, count.params);
        return Number(result.rows[0]?.n ?? 0);
      })();
      return counted;
    };
    return { source: query.measure.source, rows: rows.slice(0, query.first).map((row) => ({ id: Number(row.id), time: String(row.time) })), hasNextPage: rows.length > query.first, totalCount };
  }
}
