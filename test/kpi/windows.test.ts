import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { KpiInputError } from '../../src/kpi/errors.js';
import { bucketize } from '../../src/kpi/periods.js';
import { groupingOf, splitGroupKey } from '../../src/kpi/grouping.js';
import { seriesPointPeriods } from '../../src/kpi/series-points.js';
import { shareOfTotal } from '../../src/kpi/share-of-total.js';
import { checkWindowReach, seriesWindow, windowPeriod } from '../../src/kpi/windows.js';

const at = (iso: string) => new Date(iso);
const iso = (range: { start: Date; end: Date } | null) => (range ? [range.start.toISOString(), range.end.toISOString()] : null);

describe('series windows', () => {
  it('reads whole calendar units before a partial first bucket, and ends where the bucket ends', () => {
    const range = { start: at('2025-02-15T00:00:00Z'), end: at('2025-04-01T00:00:00Z') };
    const buckets = bucketize(range, 'month', 'UTC');
    const window = { kind: 'rolling', buckets: 2 } as const;
    expect(buckets.map((bucket) => iso(windowPeriod(bucket, window, range, 'month', 'UTC')))).toEqual([
      ['2025-01-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'],
      ['2025-02-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z'],
    ]);
    expect(buckets.map((bucket) => iso(windowPeriod(bucket, { kind: 'cumulative' }, range, 'month', 'UTC')))).toEqual([
      ['2025-02-15T00:00:00.000Z', '2025-03-01T00:00:00.000Z'],
      ['2025-02-15T00:00:00.000Z', '2025-04-01T00:00:00.000Z'],
    ]);
  });

  it('steps back over a change of clocks by local weeks', () => {
    // Berlin moves to summer time on Sunday 30 March 2025: the week of Monday 31 March starts at 22:00 UTC the day before.
    const range = { start: at('2025-03-30T22:00:00Z'), end: at('2025-04-06T22:00:00Z') };
    const [bucket] = bucketize(range, 'week', 'Europe/Berlin');
    // Two weeks: from Monday 24 March, 00:00 in winter time (23:00 UTC).
    expect(iso(windowPeriod(bucket!, { kind: 'rolling', buckets: 2 }, range, 'week', 'Europe/Berlin'))).toEqual(['2025-03-23T23:00:00.000Z', '2025-04-06T22:00:00.000Z']);
  });

  it('refuses both kinds at once, a count out of bounds, and a reach past the maximum range', () => {
    expect(() => seriesWindow({ rolling: 2, cumulative: true })).toThrow(expect.objectContaining({ field: 'window' }));
    expect(() => seriesWindow({ rolling: 0 })).toThrow(KpiInputError);
    expect(seriesWindow({ cumulative: false })).toBeNull();
    // 2025 and the eleven months before it: 700 days; one more month reaches back to 1 January 2024, 731 days.
    const range = { start: at('2025-01-01T00:00:00Z'), end: at('2026-01-01T00:00:00Z') };
    expect(() => checkWindowReach(range, { kind: 'rolling', buckets: 12 }, 'month', 'UTC', { maxRangeDays: 730 })).not.toThrow();
    expect(() => checkWindowReach(range, { kind: 'rolling', buckets: 13 }, 'month', 'UTC', { maxRangeDays: 730 })).toThrow(expect.objectContaining({ field: 'window.rolling' }));
  });

  it('compares point by point with a given period, and leaves points past its end without a comparison', () => {
    const range = { start: at('2025-02-01T00:00:00Z'), end: at('2025-04-01T00:00:00Z') };
    const given = { start: at('2024-02-01T00:00:00Z'), end: at('2024-03-01T00:00:00Z') };
    const buckets = bucketize(range, 'month', 'UTC');
    const plain = seriesPointPeriods(buckets, { range, grain: 'month', timeZone: 'UTC', window: null, comparison: { period: given } });
    expect(plain.map((point) => iso(point.previous))).toEqual([['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'], null]);
    const cumulative = seriesPointPeriods(buckets, { range, grain: 'month', timeZone: 'UTC', window: { kind: 'cumulative' }, comparison: { kind: 'yearAgo' } });
    expect(cumulative.map((point) => iso(point.previous))).toEqual([
      ['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
      ['2024-02-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'],
    ]);
  });
});

describe('share of total', () => {
  it('divides by the sum of the groups for additive KPIs', () => {
    const share = shareOfTotal([{ value: new Decimal(30) }, { value: new Decimal(10) }, { value: null }], true);
    expect(share({ value: new Decimal(30) }).value?.toFixed()).toBe('0.75');
    expect(share({ value: null }).reason?.code).toBe('NO_DATA');
  });

  it('has no value for a zero total or a KPI that does not add up', () => {
    expect(shareOfTotal([{ value: new Decimal(0) }], true)({ value: new Decimal(0) }).reason?.code).toBe('ZERO_DENOMINATOR');
    expect(shareOfTotal([{ value: new Decimal(1) }], false)({ value: new Decimal(1) }).reason?.code).toBe('NOT_APPLICABLE');
  });
});

describe('two-dimension group keys', () => {
  it('groups by the pair when a second dimension is given, and splits its keys, a missing value as "(none)"', () => {
    expect(groupingOf({ groupBy: 'team', thenBy: 'stage' })).toEqual(['team', 'stage']);
    expect(groupingOf({ groupBy: 'team' })).toBe('team');
    expect(splitGroupKey('["3","WON"]')).toEqual(['3', 'WON']);
    expect(splitGroupKey('[null, "WON"]')).toEqual(['(none)', 'WON']);
    expect(() => splitGroupKey('"3"')).toThrow(/two dimensions/);
  });
});
