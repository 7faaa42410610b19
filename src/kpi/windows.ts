/**
 * Windows on a series: each point's value is the KPI over a window of
 * buckets instead of its own bucket — the last N grain units (`rolling`) or
 * everything from the range's start (`cumulative`).
 *
 * A window is a period like any other, so the KPI is evaluated over it from
 * its measures: counts and money add up over the window (a moving sum),
 * rates are the ratio of the window's numerators and denominators, means and
 * percentiles are those of the window's rows, distinct counts count each
 * record once. A window whose denominator is zero gets the formula's own
 * null with its reason. The engine answers every period of a request from
 * the same statements (periods are unions of the buckets' edges), so a
 * window costs no statement; a rolling window at the range's start reaches
 * back into the grain units before it, which the same statement reads.
 */
import { KpiInputError } from './errors.js';
import type { ComparisonKind, Grain, PeriodLimits } from './periods.js';
import { addUnits, bucketize, comparisonPeriod, defaultMaxRangeDays, startOf, validateRange } from './periods.js';
import type { TimeRange } from './types.js';

/** At most this many buckets in a rolling window. */
export const maxRollingBuckets = 400;

export type SeriesWindow = { kind: 'rolling'; buckets: number } | { kind: 'cumulative' };

/** The window asked for, checked; null for plain buckets. Throws KpiInputError naming the field. */
export function seriesWindow(input: { rolling?: number | null; cumulative?: boolean | null } | null | undefined): SeriesWindow | null {
  if (!input) return null;
  const rolling = input.rolling ?? null;
  const cumulative = input.cumulative ?? false;
  if (rolling !== null && cumulative) throw new KpiInputError('window', 'Give either rolling or cumulative, not both.');
  if (rolling !== null) {
    if (!Number.isInteger(rolling) || rolling < 1 || rolling > maxRollingBuckets) {
      throw new KpiInputError('window.rolling', `The number of buckets must be a whole number from 1 to ${maxRollingBuckets}, not ${String(rolling)}.`);
    }
    return { kind: 'rolling', buckets: rolling };
  }
  return cumulative ? { kind: 'cumulative' } : null;
}

/**
 * The period a point's value covers. Rolling: the N grain units ending with
 * the bucket, calendar-aligned (the units before a partial first bucket are
 * whole), ending where the bucket ends. Cumulative: from the range's start
 * to the bucket's end.
 */
export function windowPeriod(bucket: TimeRange, window: SeriesWindow, range: TimeRange, grain: Grain, timeZone: string): TimeRange {
  if (window.kind === 'cumulative') return { start: range.start, end: bucket.end };
  const unitStart = startOf(bucket.start, grain, timeZone);
  // Re-snap: a local midnight skipped by a DST change must not carry over.
  const start = window.buckets === 1 ? bucket.start : startOf(addUnits(unitStart, grain, 1 - window.buckets, timeZone), grain, timeZone);
  return { start, end: bucket.end };
}

/** Checks that the earliest window stays within the maximum range; KpiInputError on `window.rolling`. */
export function checkWindowReach(range: TimeRange, window: SeriesWindow, grain: Grain, timeZone: string, limits: PeriodLimits = {}): void {
  if (window.kind !== 'rolling') return;
  const first = bucketize(range, grain, timeZone, { maxBuckets: Number.POSITIVE_INFINITY })[0]!;
  const reach = { start: windowPeriod(first, window, range, grain, timeZone).start, end: range.end };
  try {
    validateRange(reach, limits, 'window.rolling');
  } catch (error) {
    if (!(error instanceof KpiInputError)) throw error;
    const maxDays = limits.maxRangeDays ?? defaultMaxRangeDays;
    throw new KpiInputError('window.rolling', `The range and its first window reach back more than the maximum of ${maxDays} days; ask for fewer buckets or a shorter range.`);
  }
}

/**
 * What a windowed point is compared with: with a comparison kind, the
 * window's own comparison period (the window just before it, or the same
 * window a year earlier); with a given period, the window of the bucket it
 * is compared with, from that period's start when cumulative.
 */
export function comparedWindow(
  window: SeriesWindow,
  period: TimeRange,
  compare: { kind: ComparisonKind } | { bucket: TimeRange; range: TimeRange },
  grain: Grain,
  timeZone: string,
): TimeRange {
  if ('kind' in compare) return comparisonPeriod(period, compare.kind, timeZone);
  return windowPeriod(compare.bucket, window, compare.range, grain, timeZone);
}
