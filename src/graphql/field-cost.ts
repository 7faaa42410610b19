/**
 * KPI cost declared on a field (its `extensions.cost`), read by the
 * operation-cost limit before anything runs: how many KPI cells the field
 * asks the engine for, and how it multiplies the cells of its selection.
 */
import type { GraphQLField } from 'graphql';

export interface FieldCost {
  /**
   * Cells the field asks for per call: a number; `byGroups`, the group
   * estimate of its `by` argument (times its `thenBy`'s, when given); `seriesGroups`, the groups of the series
   * it is inside (none when the series has no `by`).
   */
  cells?: number | 'byGroups' | 'seriesGroups';
  /** Arguments that double the cells when one is given (a comparison period). */
  doubledBy?: string | readonly string[];
  /** Its selection runs once per bucket of these arguments; breakdowns inside count the groups of `by`. */
  buckets?: { range: string; grain: string; by: string };
  /** Its selection runs once per KPI listed: the length of this argument, or every registered KPI without it. */
  perKpi?: { keys: string | null };
}

/** The extensions that declare a field's cost: `extensions: costOf({ … })`. */
export const costOf = (cost: FieldCost): { cost: FieldCost } => ({ cost });

/** The cost a field declares, if any. */
export function fieldCost(field: GraphQLField<unknown, unknown>): FieldCost | undefined {
  return (field.extensions as { cost?: FieldCost } | undefined)?.cost;
}
