/**
 * A breakdown a dashboard can show as it comes: groups ordered by value and
 * cut to the first N, the rest folded into one "other" value — summed for
 * additive KPIs, recomputed from the summed numerators and denominators for
 * ratios, so "other" is what the KPI would be over those groups together.
 */
import { Decimal } from 'decimal.js';
import type { GroupKey } from './define.js';
import { ratio } from './formula-helpers.js';
import type { KpiResult } from './types.js';

export interface TopGroupsOptions {
  /** Order by value; groups without a value come last. Ties keep the key order. */
  order: 'ASC' | 'DESC' | null;
  /** Keep this many groups; the rest become `other`. */
  first: number | null;
  /** Whether values add up across groups (counts, sums). */
  additive: boolean;
}

/** The value of several groups together, from their results. */
export function combineGroups(results: readonly KpiResult[], additive: boolean): KpiResult {
  if (additive) return { value: results.reduce((sum, result) => sum.plus(result.value ?? 0), new Decimal(0)) };
  if (results.every((result) => result.numerator !== undefined && result.denominator !== undefined)) {
    const numerator = results.reduce((sum, result) => sum.plus(result.numerator!), new Decimal(0));
    const denominator = results.reduce((sum, result) => sum.plus(result.denominator!), new Decimal(0));
    return ratio(numerator, denominator, 'the denominator of the other groups');
  }
  return { value: null, reason: { code: 'NOT_APPLICABLE', message: 'No value: this KPI cannot be recomputed over several groups from their values.' } };
}

/** The kept groups, in order, and the keys folded into `other` (empty when none). */
export function topGroups(entries: readonly (readonly [GroupKey, KpiResult])[], options: TopGroupsOptions): { kept: (readonly [GroupKey, KpiResult])[]; rest: GroupKey[] } {
  const ordered = [...entries];
  if (options.order) {
    const sign = options.order === 'DESC' ? -1 : 1;
    ordered.sort(([, a], [, b]) => {
      if (a.value === null || b.value === null) return a.value === null ? (b.value === null ? 0 : 1) : -1;
      return sign * a.value.comparedTo(b.value);
    });
  }
  if (options.first === null || ordered.length <= options.first) return { kept: ordered, rest: [] };
  return { kept: ordered.slice(0, options.first), rest: ordered.slice(options.first).map(([key]) => key) };
}
