/**
 * Drill-through: the records behind a count or money KPI's value — the rows
 * its one count or sum measure counts or sums over a period within a filter.
 * Rates, averages and snapshots have no such list (their value is not made
 * of the rows in the period alone), so they are refused, naming why.
 */
import type { Database } from '../db/client.js';
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
  if (definition.unit !== 'count' && definition.unit !== 'money') {
    throw new KpiInputError(field, `KPI "${key}" is a ${definition.unit}, not a count or money total: its value is not made of a list of records.`);
  }
  if (definition.kind !== 'inputs') {
    throw new KpiInputError(field, `KPI "${key}" computes its values with its own query, so its records cannot be listed.`);
  }
  const measures = Object.values(definition.inputs);
  const snapshot = measures.find((measure) => measure.kind === 'snapshotCount' || measure.kind === 'snapshotSum');
  if (snapshot) {
    throw new KpiInputError(field, `KPI "${key}" counts records alive at an instant (a snapshot), not records in the period, so its records cannot be listed.`);
  }
  const candidates = measures.filter(summable);
  if (candidates.length !== 1 || measures.length !== 1) {
    throw new KpiInputError(field, `KPI "${key}" is computed from ${measures.length} measures, so no single list of records makes its value.`);
  }
  return candidates[0]!;
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
