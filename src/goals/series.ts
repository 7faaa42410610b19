/**
 * The buckets of a goal's chart: its period cut by a grain chosen from the
 * period's length, up to the instant progress is measured at.
 */
import type { Grain } from '../kpi/periods.js';
import { bucketize } from '../kpi/periods.js';
import type { TimeRange } from '../kpi/types.js';

const dayMs = 86_400_000;

/** Day for periods up to 31 days, week up to 120 days, month beyond. */
export function seriesGrain(period: TimeRange): Grain {
  const days = (period.end.getTime() - period.start.getTime()) / dayMs;
  if (days <= 31) return 'day';
  if (days <= 120) return 'week';
  return 'month';
}

/**
 * The grain's buckets of the period that have begun by `until`, the last one
 * cut at `until`; none when the period has not begun.
 */
export function seriesBuckets(period: TimeRange, until: Date, grain: Grain, timeZone: string, maxBuckets: number): TimeRange[] {
  const end = until.getTime() < period.end.getTime() ? until : period.end;
  if (end.getTime() <= period.start.getTime()) return [];
  return bucketize({ start: period.start, end }, grain, timeZone, { maxBuckets });
}
