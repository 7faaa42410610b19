import { describe, expect, it } from 'vitest';
import { KpiInputError } from '../../src/kpi/errors.js';
import { bucketize, calendarUnits, comparisonPeriod, resolvePeriod, startOf, validateRange } from '../../src/kpi/periods.js';
import type { TimeRange } from '../../src/kpi/types.js';

const at = (iso: string): Date => new Date(iso);
const iso = (range: TimeRange): [string, string] => [range.start.toISOString(), range.end.toISOString()];
const hours = (range: TimeRange): number => (range.end.getTime() - range.start.getTime()) / 3_600_000;

function inputError(work: () => unknown): KpiInputError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(KpiInputError);
    return error as KpiInputError;
  }
  throw new Error('expected a KpiInputError');
}

describe('named periods in a time zone', () => {
  it('cuts days at local midnight, 23 hours on the spring DST day in Berlin', () => {
    // 31 March 2024: clocks go from 02:00 CET to 03:00 CEST.
    const today = resolvePeriod({ named: 'today' }, { timeZone: 'Europe/Berlin', now: at('2024-03-31T12:00:00Z') });
    expect(iso(today)).toEqual(['2024-03-30T23:00:00.000Z', '2024-03-31T22:00:00.000Z']);
    expect(hours(today)).toBe(23);
  });

  it('gives 25 hours on the autumn DST day and handles yesterday across it', () => {
    const today = resolvePeriod({ named: 'today' }, { timeZone: 'Europe/Berlin', now: at('2024-10-27T12:00:00Z') });
    expect(iso(today)).toEqual(['2024-10-26T22:00:00.000Z', '2024-10-27T23:00:00.000Z']);
    expect(hours(today)).toBe(25);
    const yesterday = resolvePeriod({ named: 'yesterday' }, { timeZone: 'Europe/Berlin', now: at('2024-10-28T08:00:00Z') });
    expect(iso(yesterday)).toEqual(['2024-10-26T22:00:00.000Z', '2024-10-27T23:00:00.000Z']);
  });

  it('starts a day skipped at midnight (Santiago) at the first instant that exists', () => {
    // 8 September 2024: Chile skips 00:00–01:00; the day starts 01:00 −03.
    const day = resolvePeriod({ named: 'today' }, { timeZone: 'America/Santiago', now: at('2024-09-08T15:00:00Z') });
    expect(iso(day)).toEqual(['2024-09-08T04:00:00.000Z', '2024-09-09T03:00:00.000Z']);
  });

  it('resolves months in the local zone, not UTC', () => {
    // 2024-03-01T03:00Z is still 29 February in New York.
    const month = resolvePeriod({ named: 'thisMonth' }, { timeZone: 'America/New_York', now: at('2024-03-01T03:00:00Z') });
    expect(iso(month)).toEqual(['2024-02-01T05:00:00.000Z', '2024-03-01T05:00:00.000Z']);
    const last = resolvePeriod({ named: 'lastMonth' }, { timeZone: 'America/New_York', now: at('2024-03-01T03:00:00Z') });
    expect(iso(last)).toEqual(['2024-01-01T05:00:00.000Z', '2024-02-01T05:00:00.000Z']);
  });

  it('uses ISO weeks starting on Monday, across a year boundary', () => {
    const options = { timeZone: 'UTC', now: at('2024-01-07T10:00:00Z') }; // a Sunday
    expect(iso(resolvePeriod({ named: 'thisWeek' }, options))).toEqual(['2024-01-01T00:00:00.000Z', '2024-01-08T00:00:00.000Z']);
    expect(iso(resolvePeriod({ named: 'lastWeek' }, options))).toEqual(['2023-12-25T00:00:00.000Z', '2024-01-01T00:00:00.000Z']);
  });

  it('resolves quarters, years and to-date periods', () => {
    const options = { timeZone: 'Europe/Berlin', now: at('2024-05-15T10:30:00Z') };
    expect(iso(resolvePeriod({ named: 'thisQuarter' }, options))).toEqual(['2024-03-31T22:00:00.000Z', '2024-06-30T22:00:00.000Z']);
    expect(iso(resolvePeriod({ named: 'lastQuarter' }, options))).toEqual(['2023-12-31T23:00:00.000Z', '2024-03-31T22:00:00.000Z']);
    expect(iso(resolvePeriod({ named: 'thisYear' }, options))).toEqual(['2023-12-31T23:00:00.000Z', '2024-12-31T23:00:00.000Z']);
    expect(iso(resolvePeriod({ named: 'lastYear' }, options))).toEqual(['2022-12-31T23:00:00.000Z', '2023-12-31T23:00:00.000Z']);
    expect(iso(resolvePeriod({ named: 'yearToDate' }, options))).toEqual(['2023-12-31T23:00:00.000Z', '2024-05-15T10:30:00.000Z']);
    expect(iso(resolvePeriod({ named: 'quarterToDate' }, options))).toEqual(['2024-03-31T22:00:00.000Z', '2024-05-15T10:30:00.000Z']);
    expect(iso(resolvePeriod({ named: 'monthToDate' }, options))).toEqual(['2024-04-30T22:00:00.000Z', '2024-05-15T10:30:00.000Z']);
  });

  it('gives the trailing N local days, today included', () => {
    const week = resolvePeriod({ trailingDays: 7 }, { timeZone: 'UTC', now: at('2024-03-10T10:00:00Z') });
    expect(iso(week)).toEqual(['2024-03-04T00:00:00.000Z', '2024-03-11T00:00:00.000Z']);
    expect(inputError(() => resolvePeriod({ trailingDays: 0 }, { timeZone: 'UTC' })).field).toBe('period.trailingDays');
  });

  it('rejects an unknown time zone as bad input', () => {
    expect(inputError(() => resolvePeriod({ named: 'today' }, { timeZone: 'Mars/Olympus' })).field).toBe('timeZone');
  });
});

describe('validation', () => {
  it('rejects an end before (or at) the start', () => {
    const error = inputError(() => validateRange({ start: at('2024-02-01T00:00:00Z'), end: at('2024-01-01T00:00:00Z') }));
    expect(error.field).toBe('period');
    expect(error.message).toMatch(/must be after its start/);
    expect(() => validateRange({ start: at('2024-02-01T00:00:00Z'), end: at('2024-02-01T00:00:00Z') })).toThrow(KpiInputError);
  });

  it('rejects ranges over the maximum (three years by default, configurable)', () => {
    const threeYears = { start: at('2021-01-01T00:00:00Z'), end: at('2024-01-01T00:00:00Z') };
    expect(() => validateRange(threeYears)).not.toThrow();
    expect(inputError(() => validateRange({ start: at('2020-01-01T00:00:00Z'), end: at('2024-01-01T00:00:00Z') })).message).toMatch(/maximum of 1097 days/);
    expect(() => validateRange(threeYears, { maxRangeDays: 366 })).toThrow(KpiInputError);
    expect(() => resolvePeriod({ range: threeYears }, { timeZone: 'UTC', maxRangeDays: 366 })).toThrow(/366 days/);
  });

  it('rejects a grain that gives more buckets than allowed', () => {
    const twoYears = { start: at('2022-01-01T00:00:00Z'), end: at('2024-01-01T00:00:00Z') };
    const error = inputError(() => bucketize(twoYears, 'day', 'UTC'));
    expect(error.field).toBe('grain');
    expect(bucketize(twoYears, 'day', 'UTC', { maxBuckets: 1000 })).toHaveLength(730);
    expect(() => bucketize(twoYears, 'month', 'UTC', { maxBuckets: 23 })).toThrow(KpiInputError);
  });
});

describe('buckets', () => {
  it('cuts a Berlin year into 12 local months', () => {
    const year = resolvePeriod({ named: 'thisYear' }, { timeZone: 'Europe/Berlin', now: at('2024-06-01T00:00:00Z') });
    const months = bucketize(year, 'month', 'Europe/Berlin');
    expect(months).toHaveLength(12);
    expect(iso(months[0]!)).toEqual(['2023-12-31T23:00:00.000Z', '2024-01-31T23:00:00.000Z']);
    expect(iso(months[2]!)).toEqual(['2024-02-29T23:00:00.000Z', '2024-03-31T22:00:00.000Z']);
    expect(months[11]!.end).toEqual(year.end);
  });

  it('gives a 23-hour day bucket on the DST change, buckets tiling the range', () => {
    const march = { start: at('2024-02-29T23:00:00Z'), end: at('2024-03-31T22:00:00Z') };
    const days = bucketize(march, 'day', 'Europe/Berlin');
    expect(days).toHaveLength(31);
    expect(hours(days[30]!)).toBe(23);
    expect(days.slice(0, 30).every((d) => hours(d) === 24)).toBe(true);
    for (let i = 1; i < days.length; i++) expect(days[i]!.start).toEqual(days[i - 1]!.end);
  });

  it('clips partial weeks and quarters to the range', () => {
    const range = { start: at('2024-01-03T00:00:00Z'), end: at('2024-01-17T12:00:00Z') };
    expect(bucketize(range, 'week', 'UTC').map(iso)).toEqual([
      ['2024-01-03T00:00:00.000Z', '2024-01-08T00:00:00.000Z'],
      ['2024-01-08T00:00:00.000Z', '2024-01-15T00:00:00.000Z'],
      ['2024-01-15T00:00:00.000Z', '2024-01-17T12:00:00.000Z'],
    ]);
    expect(bucketize({ start: at('2024-02-10T00:00:00Z'), end: at('2024-08-01T00:00:00Z') }, 'quarter', 'UTC').map(iso)).toEqual([
      ['2024-02-10T00:00:00.000Z', '2024-04-01T00:00:00.000Z'],
      ['2024-04-01T00:00:00.000Z', '2024-07-01T00:00:00.000Z'],
      ['2024-07-01T00:00:00.000Z', '2024-08-01T00:00:00.000Z'],
    ]);
  });

  it('finds the start of a unit and recognises whole units', () => {
    expect(startOf(at('2024-03-31T21:59:59Z'), 'day', 'Europe/Berlin').toISOString()).toBe('2024-03-30T23:00:00.000Z');
    expect(calendarUnits({ start: at('2024-01-01T00:00:00Z'), end: at('2024-04-01T00:00:00Z') }, 'UTC')).toEqual({ grain: 'quarter', count: 1 });
    expect(calendarUnits({ start: at('2024-02-01T00:00:00Z'), end: at('2024-04-01T00:00:00Z') }, 'UTC')).toEqual({ grain: 'month', count: 2 });
    expect(calendarUnits({ start: at('2024-02-01T00:00:00Z'), end: at('2024-02-11T00:00:00Z') }, 'UTC')).toEqual({ grain: 'day', count: 10 });
    expect(calendarUnits({ start: at('2024-02-01T06:00:00Z'), end: at('2024-02-11T00:00:00Z') }, 'UTC')).toBeNull();
  });
});

describe('comparison periods', () => {
  const utc = 'UTC';
  it('compares a calendar month with the previous calendar month, whatever its length', () => {
    const march = { start: at('2024-03-01T00:00:00Z'), end: at('2024-04-01T00:00:00Z') };
    expect(iso(comparisonPeriod(march, 'previousPeriod', utc))).toEqual(['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
    expect(iso(comparisonPeriod(march, 'yearAgo', utc))).toEqual(['2023-03-01T00:00:00.000Z', '2023-04-01T00:00:00.000Z']);
  });

  it('compares quarters, years and local months across DST', () => {
    const q2 = { start: at('2024-04-01T00:00:00Z'), end: at('2024-07-01T00:00:00Z') };
    expect(iso(comparisonPeriod(q2, 'previousPeriod', utc))).toEqual(['2024-01-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z']);
    const april = { start: at('2024-03-31T22:00:00Z'), end: at('2024-04-30T22:00:00Z') }; // April in Berlin (CEST)
    expect(iso(comparisonPeriod(april, 'previousPeriod', 'Europe/Berlin'))).toEqual(['2024-02-29T23:00:00.000Z', '2024-03-31T22:00:00.000Z']);
    const leap = { start: at('2024-02-29T00:00:00Z'), end: at('2024-03-01T00:00:00Z') };
    expect(iso(comparisonPeriod(leap, 'yearAgo', utc))).toEqual(['2023-02-28T00:00:00.000Z', '2023-03-01T00:00:00.000Z']);
  });

  it('compares any other range with the same length just before it', () => {
    const tenDays = { start: at('2024-03-05T12:00:00Z'), end: at('2024-03-15T12:00:00Z') };
    expect(iso(comparisonPeriod(tenDays, 'previousPeriod', utc))).toEqual(['2024-02-24T12:00:00.000Z', '2024-03-05T12:00:00.000Z']);
  });

  it('compares a to-date period with the same stretch of the previous unit, and weeks with weeks', () => {
    const mtd = resolvePeriod({ named: 'monthToDate' }, { timeZone: utc, now: at('2024-03-15T10:00:00Z') });
    expect(iso(comparisonPeriod(mtd, 'previousPeriod', utc))).toEqual(['2024-02-01T00:00:00.000Z', '2024-02-15T10:00:00.000Z']);
    const week = { start: at('2024-03-04T00:00:00Z'), end: at('2024-03-11T00:00:00Z') };
    expect(iso(comparisonPeriod(week, 'previousPeriod', utc))).toEqual(['2024-02-26T00:00:00.000Z', '2024-03-04T00:00:00.000Z']);
    expect(iso(comparisonPeriod(week, 'yearAgo', utc))).toEqual(['2023-03-06T00:00:00.000Z', '2023-03-13T00:00:00.000Z']);
  });
});
