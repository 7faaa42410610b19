/**
 * How a cell's rows are grouped: by nothing, one dimension, or a pair of
 * dimensions. A pair's group key is the JSON array of both values as text
 * (`["3","WON"]`, null for a record without one), built by the same
 * statement that groups by one dimension; `splitGroupKey` takes it apart.
 */
import type { GroupKey, KpiCell } from './define.js';
import { missingGroupKey } from './define.js';
import type { Dimension } from './types.js';

export type Grouping = Dimension | readonly [Dimension, Dimension] | null;

/** A cell's grouping. */
export function groupingOf(cell: Pick<KpiCell, 'groupBy' | 'thenBy'>): Grouping {
  return cell.groupBy !== null && cell.thenBy ? [cell.groupBy, cell.thenBy] : cell.groupBy;
}

/** The dimensions of a grouping, in order. */
export const groupingDimensions = (grouping: Grouping): readonly Dimension[] => (grouping === null ? [] : typeof grouping === 'string' ? [grouping] : grouping);

/** The two parts of a pair's group key; a missing value is `missingGroupKey`. */
export function splitGroupKey(key: GroupKey): [GroupKey, GroupKey] {
  const parts = JSON.parse(key) as unknown;
  if (!Array.isArray(parts) || parts.length !== 2) throw new Error(`Not a group key of two dimensions: ${key}`);
  const part = (value: unknown): GroupKey => (value === null || value === undefined ? missingGroupKey : String(value));
  return [part(parts[0]), part(parts[1])];
}
