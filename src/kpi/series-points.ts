/**
 * The periods a series point reads: its bucket, the window its value covers
 * (see windows.ts) and the period it is compared with. All of them are
 * loaded in the same tick, so the engine reads them in the series'
 * statements.
 */
import { KpiInputError } from './errors.js';
import type { ComparisonKind, Grain } from './periods.js';
import { bucketize, comparisonPeriod } from './periods.js';
import type { TimeRange } from './types.js';
import type { SeriesWindow } from './windows.js';
import { comparedWindow, windowPeriod } from './windows.js';

/** What to compare with: a comparison kind, or a given period. */
export type Comparison = { kind: ComparisonKind } | { period: TimeRange };

/** What a value is compared with: a period relative to its own, or a given one (not both). */
export interface ComparedWith {
  /** Also the same value over this comparison period. */
  compareTo?: ComparisonKind | null;
  /** Also the same value over this given period. */
  compareToPeriod?: TimeRange | null;
}

export interface PointPeriods {
  bucket: TimeRange;
  /** The period the value covers: the bucket, or its window. */
  period: TimeRange;
  /** The period compared with; null without a comparison, or when a given period has no bucket at this position. */
  previous: TimeRange | null;
}

export interface SeriesPlan {
  range: TimeRange;
  grain: Grain;
  timeZone: string;
  window: SeriesWindow | null;
  comparison: Comparison | null;
}

/**
 * Each bucket's periods. Compared with a kind, a point is compared with its
 * bucket's (or window's) comparison period; compared with a given period,
 * the given period is cut into the same grain and the i-th point is compared
 * with its i-th bucket (or that bucket's window).
 */
export function seriesPointPeriods(buckets: readonly TimeRange[], plan: SeriesPlan): PointPeriods[] {
  const { range, grain, timeZone, window, comparison } = plan;
  const comparedBuckets = comparison && 'period' in comparison ? bucketize(comparison.period, grain, timeZone, { maxBuckets: Number.POSITIVE_INFINITY }).slice(0, buckets.length) : null;
  return buckets.map((bucket, index) => {
    const period = window ? windowPeriod(bucket, window, range, grain, timeZone) : bucket;
    let previous: TimeRange | null = null;
    if (comparison && 'kind' in comparison) {
      previous = window ? comparedWindow(window, period, comparison, grain, timeZone) : comparisonPeriod(period, comparison.kind, timeZone);
    } else if (comparison && comparedBuckets) {
      const compared = comparedBuckets[index];
      if (compared) previous = window ? comparedWindow(window, period, { bucket: compared, range: comparison.period }, grain, timeZone) : compared;
    }
    return { bucket, period, previous };
  });
}

/** A comparison kind or a given period; KpiInputError when both are given. */
export function comparisonOf(query: ComparedWith): Comparison | null {
  if (query.compareTo && query.compareToPeriod) throw new KpiInputError('compareToPeriod', 'Give either compareTo or compareToPeriod, not both.');
  if (query.compareToPeriod) return { period: query.compareToPeriod };
  return query.compareTo ? { kind: query.compareTo } : null;
}
