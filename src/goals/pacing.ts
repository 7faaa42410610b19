/**
 * Pacing: where a goal's KPI should stand by now and where it is heading,
 * by the pacing its KPI declares (or the goal overrides). Pure.
 */
import { Decimal } from 'decimal.js';
import { isAdditive } from '../kpi/additive.js';
import type { KpiDefinition, Pacing } from '../kpi/define.js';

export { isAdditive };

export type { Pacing } from '../kpi/define.js';
export const pacings: readonly Pacing[] = ['linear', 'held', 'seasonal'];

/** The KPI's own pacing: its `pacing`, else linear for additive KPIs and held for the rest. */
export function kpiPacing(definition: Pick<KpiDefinition, 'unit' | 'additive' | 'pacing'>): Pacing {
  return definition.pacing ?? (isAdditive(definition) ? 'linear' : 'held');
}

/** Last year's same period: its value up to the same point and its whole value. */
export interface SeasonalReference {
  toDate: Decimal | null;
  total: Decimal | null;
}

export interface Pace {
  /** The pacing actually used: seasonal falls back to linear without history. */
  used: Pacing;
  /** The share of the period's outcome expected by now: elapsed time (linear), last year's share (seasonal), 1 (held). */
  expectedShare: Decimal;
  warning: string | null;
}

/**
 * The pace of a goal at an instant. Seasonal: the share last year's same
 * period had reached at the same point (to date ÷ total); without last
 * year's total (none, zero or negative) it falls back to linear and says so.
 */
export function paceAt(pacing: Pacing, elapsed: Decimal, seasonal: SeasonalReference | null): Pace {
  if (pacing === 'held') return { used: 'held', expectedShare: new Decimal(1), warning: null };
  if (pacing === 'seasonal') {
    const total = seasonal?.total ?? null;
    if (total !== null && total.gt(0)) {
      const toDate = Decimal.max(seasonal?.toDate ?? new Decimal(0), 0);
      return { used: 'seasonal', expectedShare: Decimal.min(toDate.div(total), 1), warning: null };
    }
    return {
      used: 'linear',
      expectedShare: elapsed,
      warning: 'Seasonal pacing fell back to linear: the same period a year earlier has no value to shape the curve.',
    };
  }
  return { used: 'linear', expectedShare: elapsed, warning: null };
}

/** Where the KPI should stand by now: target × expected share (the target itself when held). */
export function pacedExpected(target: Decimal, pace: Pace): Decimal {
  return pace.used === 'held' ? target : target.mul(pace.expectedShare);
}

/**
 * Where the KPI will stand at the end at this pace: actual ÷ expected share
 * (null before any share is expected), the current value when held.
 */
export function pacedProjection(actual: Decimal | null, pace: Pace): Decimal | null {
  if (actual === null) return null;
  if (pace.used === 'held') return actual;
  return pace.expectedShare.isZero() ? null : actual.div(pace.expectedShare);
}
