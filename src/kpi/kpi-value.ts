/**
 * A KPI value as the query service answers it: the result, its target and,
 * when asked, the same value over a comparison period.
 */
import type { Decimal } from 'decimal.js';
import type { KpiDefinition } from './define.js';
import type { GroupKey } from './define.js';
import { targetFor } from './targets.js';
import type { Dimension, KpiResult, LifecycleStage, TimeRange } from './types.js';

export interface KpiValue {
  definition: KpiDefinition;
  period: TimeRange;
  result: KpiResult;
  target: Decimal | null;
  /** The target as a float, worked out with the target (a dashboard shows one target in every group). */
  targetFloat: number | null;
  previous?: { period: TimeRange; result: KpiResult };
}

/** One group of a breakdown: the dimension's value (`(none)` for records without one, `(other)` for the rest cut by `first`). */
export interface KpiGroupValue {
  dimension: Dimension;
  key: GroupKey;
  label: string;
  value: KpiValue;
  /** The group's value over the sum of every group's (share-of-total.ts); worked out when asked, most breakdowns never are. */
  shareOfTotal(): KpiResult;
  /** For a breakdown with `thenBy`: the second dimension's part of the key; null otherwise and for `(other)`. */
  second: KpiGroupPart | null;
}

/** One dimension's part of a two-dimension group's key. */
export interface KpiGroupPart {
  dimension: Dimension;
  key: GroupKey;
  label: string;
}

/** A target, and the float a client reads. */
export interface KpiTarget {
  decimal: Decimal | null;
  float: number | null;
}

const noData: KpiResult = Object.freeze({ value: null, reason: Object.freeze({ code: 'NO_DATA', message: 'No records in this group and period.' }) });

/** A value with its target already worked out: a breakdown's groups share one. */
export function valueWithTarget(definition: KpiDefinition, period: TimeRange, result: KpiResult | undefined, target: KpiTarget): KpiValue {
  return { definition, period, result: result ?? noData, target: target.decimal, targetFloat: target.float };
}

/**
 * A KPI's default target depends only on the plugin, the period, the stage
 * and the zone, and a dashboard asks for the same ones on every refresh (and
 * for every group): they are kept per plugin, a bounded number of them, so
 * the time-zone arithmetic is done once.
 */
const targetCache = new WeakMap<KpiDefinition, Map<string, KpiTarget>>();
const targetsPerKpi = 10_000;
export function defaultTarget(definition: KpiDefinition, period: TimeRange, timeZone: string, stage?: LifecycleStage): KpiTarget {
  let targets = targetCache.get(definition);
  if (!targets) targetCache.set(definition, (targets = new Map()));
  const key = `${period.start.getTime()}|${period.end.getTime()}|${stage ?? ''}|${timeZone}`;
  let target = targets.get(key);
  if (!target) {
    if (targets.size >= targetsPerKpi) targets.clear();
    const decimal = targetFor(definition, period, stage, timeZone);
    targets.set(key, (target = { decimal, float: decimal ? decimal.toNumber() : null }));
  }
  return target;
}
