/**
 * Targets of a KPI for a period, and how a value stands against one. Used by
 * the GraphQL layer and goals.
 */
import { Decimal } from 'decimal.js';
import type { KpiDefinition } from './define.js';
import { bucketize, startOf, addUnits } from './periods.js';
import type { Direction, LifecycleStage, TimeRange } from './types.js';

/** How a value stands against its target. */
export type TargetStatus = 'ON_TARGET' | 'OFF_TARGET' | 'NO_TARGET' | 'NO_VALUE';

/**
 * The KPI's default target for a period, in its unit (the stage's target
 * when it has one). A target `per` a grain is scaled by the number of grain
 * units the period covers, partial units pro rata by their length in the
 * time zone: 100 per month is 300 for a quarter, and about 48.4 for
 * 1–15 March (15/31 × 100). Null when the KPI has no target.
 */
export function targetFor(definition: KpiDefinition, period: TimeRange, stage?: LifecycleStage, timeZone = 'UTC'): Decimal | null {
  const spec = definition.target;
  const base = (stage !== undefined ? spec?.byStage?.[stage] : undefined) ?? spec?.default;
  if (base === undefined) return null;
  if (!spec?.per) return new Decimal(base);
  const per = spec.per;
  let units = new Decimal(0);
  for (const bucket of bucketize(period, per, timeZone, { maxBuckets: Number.POSITIVE_INFINITY })) {
    const unitStart = startOf(bucket.start, per, timeZone);
    const unitEnd = startOf(addUnits(unitStart, per, 1, timeZone), per, timeZone);
    units = units.plus(new Decimal(bucket.end.getTime() - bucket.start.getTime()).div(unitEnd.getTime() - unitStart.getTime()));
  }
  return units.mul(base);
}

/**
 * Attainment as a fraction, 1 meaning exactly on target and more meaning
 * better: `value ÷ target` when higher is better (or no direction),
 * `target ÷ value` when lower is better. Null when either is missing or the
 * division would be by zero.
 */
export function attainment(value: Decimal | null, target: Decimal | null, direction: Direction): Decimal | null {
  if (value === null || target === null) return null;
  const [numerator, denominator] = direction === 'lower' ? [target, value] : [value, target];
  return denominator.isZero() ? null : numerator.div(denominator);
}

/**
 * Whether a value meets its target: at or above it when higher is better
 * (and when the KPI names no direction), at or below it when lower is better.
 */
export function statusAgainstTarget(value: Decimal | null, target: Decimal | null, direction: Direction): TargetStatus {
  if (target === null) return 'NO_TARGET';
  if (value === null) return 'NO_VALUE';
  const met = direction === 'lower' ? value.lte(target) : value.gte(target);
  return met ? 'ON_TARGET' : 'OFF_TARGET';
}
