/** Helpers for compute plugins: batching a call's cells into as few statements as possible. */
import type { KpiCell } from './define.js';
import { stableJson } from './stable-json.js';
import type { Dimension, DimensionFilter } from './types.js';

/** Cells that can share one statement, with their positions in the call's list. */
export interface CellBatch<P> {
  filter: DimensionFilter;
  groupBy: Dimension | null;
  cells: KpiCell<P>[];
  indices: number[];
}

/**
 * Splits a compute call's cells into batches sharing filter, group-by and
 * whatever `extra` returns (e.g. a param that changes the SQL), so that one
 * statement per batch serves all of its periods.
 */
export function batchCells<P>(cells: readonly KpiCell<P>[], extra: (cell: KpiCell<P>) => unknown = () => null): CellBatch<P>[] {
  const batches = new Map<string, CellBatch<P>>();
  cells.forEach((cell, index) => {
    const key = stableJson([cell.filter, cell.groupBy, extra(cell)]);
    let batch = batches.get(key);
    if (!batch) batches.set(key, (batch = { filter: cell.filter, groupBy: cell.groupBy, cells: [], indices: [] }));
    batch.cells.push(cell);
    batch.indices.push(index);
  });
  return [...batches.values()];
}

/** A batch's periods as ISO strings, for `unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY`. */
export function periodArrays<P>(cells: readonly KpiCell<P>[]): { starts: string[]; ends: string[] } {
  return { starts: cells.map((c) => c.period.start.toISOString()), ends: cells.map((c) => c.period.end.toISOString()) };
}
