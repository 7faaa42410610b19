/**
 * Wall-clock arithmetic in an IANA time zone with nothing but Intl: the
 * offset of a zone at an instant, and the instant of a local wall time, with
 * DST gaps and overlaps resolved to the first instant of the local time.
 * A base module: every part of kpigraph may use it, and it imports none.
 */

/**
 * A zone name Intl does not know. Each caller words it for its own audience
 * (the KPI engine turns it into bad input naming `timeZone`).
 */
export class UnknownTimeZoneError extends RangeError {
  override readonly name = 'UnknownTimeZoneError';
  readonly field = 'timeZone';
  constructor(readonly timeZone: string) {
    super(`Unknown time zone "${timeZone}": use an IANA name such as Europe/Berlin.`);
  }
}

/** A local calendar date and time (month 1–12). */
export interface CivilDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new UnknownTimeZoneError(timeZone);
    }
    formatters.set(timeZone, format);
  }
  return format;
}

/** Throws an UnknownTimeZoneError unless `timeZone` is a known IANA zone. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

/**
 * formatToParts costs microseconds, and period arithmetic asks for the same
 * few instants (month edges of a dashboard) hundreds of times a request:
 * answers are kept per zone, up to a bound, then forgotten wholesale.
 */
const civilCacheLimit = 20_000;
const civilCache = new Map<string, Map<number, Readonly<CivilDateTime>>>();

/** The local wall time of an instant in a zone (a shared, frozen object). */
export function toCivil(instant: Date, timeZone: string): Readonly<CivilDateTime> {
  const ms = instant.getTime();
  const known = civilCache.get(timeZone)?.get(ms);
  if (known) return known;
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const civil: Readonly<CivilDateTime> = Object.freeze({
    year: parts['year'] ?? 0,
    month: parts['month'] ?? 1,
    day: parts['day'] ?? 1,
    hour: parts['hour'] ?? 0,
    minute: parts['minute'] ?? 0,
    second: parts['second'] ?? 0,
    millisecond: ((ms % 1000) + 1000) % 1000,
  });
  let byInstant = civilCache.get(timeZone);
  if (!byInstant) civilCache.set(timeZone, (byInstant = new Map()));
  if (byInstant.size >= civilCacheLimit) byInstant.clear();
  byInstant.set(ms, civil);
  return civil;
}

const civilAsUtc = (c: CivilDateTime): number =>
  Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second, c.millisecond);

/** Milliseconds the zone is ahead of UTC at an instant. */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const civil = toCivil(new Date(instant), timeZone);
  return civilAsUtc({ ...civil, millisecond: ((instant % 1000) + 1000) % 1000 }) - instant;
}

/**
 * The instant of a local wall time. In an overlap (clocks set back) the
 * earlier instant; in a gap (clocks set forward) the first instant after it,
 * so that "midnight" of a day that skips it is still that day's start.
 */
export function fromCivil(civil: Partial<CivilDateTime> & Pick<CivilDateTime, 'year' | 'month' | 'day'>, timeZone: string): Date {
  const full: CivilDateTime = { hour: 0, minute: 0, second: 0, millisecond: 0, ...civil };
  const guess = civilAsUtc(full);
  const day = 86_400_000;
  // Zone transitions are far more than a day apart, so the offsets a day
  // either side are the only candidates.
  const offsets = [...new Set([zoneOffsetMs(guess - day, timeZone), zoneOffsetMs(guess + day, timeZone), zoneOffsetMs(guess, timeZone)])];
  const candidates = offsets.map((offset) => guess - offset);
  const valid = candidates.filter((instant) => zoneOffsetMs(instant, timeZone) === guess - instant);
  return new Date(valid.length > 0 ? Math.min(...valid) : Math.max(...candidates));
}

/** Normalises an out-of-range civil date (month 13, day 0) like Date.UTC does. */
export function normaliseDate(year: number, month: number, day: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(year, month - 1, day));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Days in a month of the proleptic Gregorian calendar (a month out of
 * range counts as Date.UTC would roll it). Worked out, not read from a
 * Date: an import checks the day of every timestamp it reads, and a Date
 * for each would be a cost paid once a row.
 */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  if (Number.isInteger(month) && month >= 1 && month <= 12) return monthLengths[month - 1]!;
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** ISO day of week of a civil date: 1 Monday … 7 Sunday. */
export function isoWeekday(year: number, month: number, day: number): number {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}
