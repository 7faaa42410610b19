/**
 * Periods in a workspace's time zone: named periods, explicit ranges, grains
 * and their buckets, and comparison periods. Every result is a half-open
 * `[start, end)` of UTC instants; days are cut at local midnight, so a day
 * around a DST change lasts 23 or 25 hours.
 */
import { UnknownTimeZoneError, assertTimeZone as assertKnownZone, daysInMonth, fromCivil, isoWeekday, normaliseDate, toCivil } from '../time/time-zone.js';
import { KpiInputError } from './errors.js';
import type { TimeRange } from './types.js';

/** Throws a KpiInputError naming `timeZone` unless it is a known IANA zone. */
export function assertTimeZone(timeZone: string): void {
  try {
    assertKnownZone(timeZone);
  } catch (error) {
    if (error instanceof UnknownTimeZoneError) throw new KpiInputError(error.field, error.message);
    throw error;
  }
}

export type Grain = 'day' | 'week' | 'month' | 'quarter' | 'year';
export const grains: readonly Grain[] = ['day', 'week', 'month', 'quarter', 'year'];

export type NamedPeriod =
  | 'today'
  | 'yesterday'
  | 'thisWeek'
  | 'lastWeek'
  | 'thisMonth'
  | 'lastMonth'
  | 'thisQuarter'
  | 'lastQuarter'
  | 'thisYear'
  | 'lastYear'
  | 'yearToDate'
  | 'quarterToDate'
  | 'monthToDate';

/** What a caller may ask for: an explicit range, a named period or the trailing N local days (today included). */
export type PeriodInput = { range: TimeRange } | { named: NamedPeriod } | { trailingDays: number };

export interface PeriodLimits {
  /** Longest range accepted, in days (default 1097: three years, a leap day and slack). */
  maxRangeDays?: number;
  /** Most buckets a grain may cut a range into (default 400). */
  maxBuckets?: number;
}

export interface PeriodOptions extends PeriodLimits {
  timeZone: string;
  /** The instant named periods are relative to (default: now). */
  now?: Date;
}

/** A resolved period; `toDate` marks a to-date period, so that its comparison is the same stretch of the previous unit. */
export interface ResolvedPeriod extends TimeRange {
  toDate?: Grain;
}

export const defaultMaxRangeDays = 1097;
export const defaultMaxBuckets = 400;
const dayMs = 86_400_000;

/** The start of the grain unit (local day, ISO week from Monday, month, quarter, year) containing an instant. */
export function startOf(instant: Date, grain: Grain, timeZone: string): Date {
  const c = toCivil(instant, timeZone);
  switch (grain) {
    case 'day':
      return fromCivil({ year: c.year, month: c.month, day: c.day }, timeZone);
    case 'week':
      return fromCivil(normaliseDate(c.year, c.month, c.day - isoWeekday(c.year, c.month, c.day) + 1), timeZone);
    case 'month':
      return fromCivil({ year: c.year, month: c.month, day: 1 }, timeZone);
    case 'quarter':
      return fromCivil({ year: c.year, month: Math.floor((c.month - 1) / 3) * 3 + 1, day: 1 }, timeZone);
    case 'year':
      return fromCivil({ year: c.year, month: 1, day: 1 }, timeZone);
  }
}

/**
 * Moves an instant by `n` grain units on the local wall clock; a day of month
 * that does not exist in the target month is clamped (31 March − 1 month is
 * 28 or 29 February).
 */
export function addUnits(instant: Date, grain: Grain, n: number, timeZone: string): Date {
  const c = toCivil(instant, timeZone);
  if (grain === 'day' || grain === 'week') {
    const date = normaliseDate(c.year, c.month, c.day + n * (grain === 'week' ? 7 : 1));
    return fromCivil({ ...c, ...date }, timeZone);
  }
  const months = grain === 'month' ? n : grain === 'quarter' ? 3 * n : 12 * n;
  const index = c.year * 12 + (c.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return fromCivil({ ...c, year, month, day: Math.min(c.day, daysInMonth(year, month)) }, timeZone);
}

/** The start of the unit `n` units after the one starting at `unitStart`. */
function nextUnitStart(unitStart: Date, grain: Grain, n: number, timeZone: string): Date {
  // Re-snap: a local midnight skipped by DST resolves to 01:00, which must not carry over.
  return startOf(addUnits(unitStart, grain, n, timeZone), grain, timeZone);
}

const unitOf = (instant: Date, grain: Grain, timeZone: string, offset = 0): TimeRange => {
  const start = nextUnitStart(startOf(instant, grain, timeZone), grain, offset, timeZone);
  return { start, end: nextUnitStart(start, grain, 1, timeZone) };
};

/** Checks a range against the limits; throws KpiInputError naming `field`. */
export function validateRange(range: TimeRange, limits: PeriodLimits = {}, field = 'period'): void {
  const { start, end } = range;
  if (!(start instanceof Date) || !(end instanceof Date) || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    throw new KpiInputError(field, 'The period needs a valid start and end.');
  }
  if (end.getTime() <= start.getTime()) {
    throw new KpiInputError(field, `The period's end (${end.toISOString()}) must be after its start (${start.toISOString()}).`);
  }
  const maxDays = limits.maxRangeDays ?? defaultMaxRangeDays;
  if (end.getTime() - start.getTime() > maxDays * dayMs) {
    throw new KpiInputError(field, `The period is longer than the maximum of ${maxDays} days; ask for a shorter one.`);
  }
}

/** Resolves a period input in the time zone, validated against the limits. */
export function resolvePeriod(input: PeriodInput, options: PeriodOptions): ResolvedPeriod {
  const { timeZone } = options;
  const now = options.now ?? new Date();
  let period: ResolvedPeriod;
  if ('range' in input) {
    period = { start: input.range.start, end: input.range.end };
  } else if ('trailingDays' in input) {
    const days = input.trailingDays;
    if (!Number.isInteger(days) || days < 1) {
      throw new KpiInputError('period.trailingDays', `Trailing days must be a positive whole number, not ${String(days)}.`);
    }
    assertTimeZone(timeZone);
    const today = unitOf(now, 'day', timeZone);
    period = { start: nextUnitStart(today.start, 'day', 1 - days, timeZone), end: today.end };
  } else {
    assertTimeZone(timeZone);
    period = named(input.named, now, timeZone);
  }
  validateRange(period, options);
  return period;
}

function named(name: NamedPeriod, now: Date, timeZone: string): ResolvedPeriod {
  switch (name) {
    case 'today':
      return unitOf(now, 'day', timeZone);
    case 'yesterday':
      return unitOf(now, 'day', timeZone, -1);
    case 'thisWeek':
      return unitOf(now, 'week', timeZone);
    case 'lastWeek':
      return unitOf(now, 'week', timeZone, -1);
    case 'thisMonth':
      return unitOf(now, 'month', timeZone);
    case 'lastMonth':
      return unitOf(now, 'month', timeZone, -1);
    case 'thisQuarter':
      return unitOf(now, 'quarter', timeZone);
    case 'lastQuarter':
      return unitOf(now, 'quarter', timeZone, -1);
    case 'thisYear':
      return unitOf(now, 'year', timeZone);
    case 'lastYear':
      return unitOf(now, 'year', timeZone, -1);
    case 'yearToDate':
      return { start: startOf(now, 'year', timeZone), end: now, toDate: 'year' };
    case 'quarterToDate':
      return { start: startOf(now, 'quarter', timeZone), end: now, toDate: 'quarter' };
    case 'monthToDate':
      return { start: startOf(now, 'month', timeZone), end: now, toDate: 'month' };
    default:
      throw new KpiInputError('period.named', `Unknown period "${String(name)}".`);
  }
}

/**
 * The grain units of a range, clipped to it: the first and last bucket may be
 * partial. Throws KpiInputError (`grain`) beyond `maxBuckets`.
 */
export function bucketize(range: TimeRange, grain: Grain, timeZone: string, limits: PeriodLimits = {}): TimeRange[] {
  validateRange(range, { maxRangeDays: Number.POSITIVE_INFINITY });
  assertTimeZone(timeZone);
  const maxBuckets = limits.maxBuckets ?? defaultMaxBuckets;
  const buckets: TimeRange[] = [];
  let cursor = startOf(range.start, grain, timeZone);
  while (cursor < range.end) {
    if (buckets.length >= maxBuckets) {
      throw new KpiInputError('grain', `A ${grain} grain cuts this period into more than ${maxBuckets} buckets; choose a coarser grain or a shorter period.`);
    }
    const next = nextUnitStart(cursor, grain, 1, timeZone);
    buckets.push({ start: cursor < range.start ? range.start : cursor, end: next > range.end ? range.end : next });
    cursor = next;
  }
  return buckets;
}

/** When a range is exactly `count` whole units of a grain (coarsest first), that grain and count. */
export function calendarUnits(range: TimeRange, timeZone: string): { grain: Grain; count: number } | null {
  for (const grain of [...grains].reverse()) {
    if (startOf(range.start, grain, timeZone).getTime() !== range.start.getTime()) continue;
    let cursor = range.start;
    for (let count = 1; count <= 5000; count++) {
      cursor = nextUnitStart(cursor, grain, 1, timeZone);
      if (cursor.getTime() === range.end.getTime()) return { grain, count };
      if (cursor > range.end) break;
    }
  }
  return null;
}

export type ComparisonKind = 'previousPeriod' | 'yearAgo';

/**
 * The period to compare with. `previousPeriod`: whole calendar units give the
 * previous units (February before March, whatever their lengths); a to-date
 * period gives the same stretch of the previous unit; anything else the range
 * of the same length just before. `yearAgo`: the same local dates a year
 * earlier (whole ISO weeks: 52 weeks earlier, so weeks stay weeks).
 */
export function comparisonPeriod(period: ResolvedPeriod, kind: ComparisonKind, timeZone: string): ResolvedPeriod {
  const units = calendarUnits(period, timeZone);
  if (kind === 'yearAgo') {
    const [grain, n]: [Grain, number] = units?.grain === 'week' ? ['week', -52] : ['year', -1];
    return { ...shift(period, grain, n, timeZone), ...(period.toDate ? { toDate: period.toDate } : {}) };
  }
  if (units) {
    const start = nextUnitStart(period.start, units.grain, -units.count, timeZone);
    return { start, end: period.start };
  }
  if (period.toDate) return { ...shift(period, period.toDate, -1, timeZone), toDate: period.toDate };
  const length = period.end.getTime() - period.start.getTime();
  return { start: new Date(period.start.getTime() - length), end: period.start };
}

function shift(range: TimeRange, grain: Grain, n: number, timeZone: string): TimeRange {
  return { start: addUnits(range.start, grain, n, timeZone), end: addUnits(range.end, grain, n, timeZone) };
}
