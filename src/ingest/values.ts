/**
 * Cell values as files and APIs give them (text, or JSON scalars) turned
 * into what the staging tables store. Money stays decimal text from start to
 * end; timestamps without an offset are wall times in the workspace's zone.
 */
import { daysInMonth, fromCivil, zoneOffsetMs } from '../time/time-zone.js';

export type RawValue = string | number | boolean | null | undefined | object;

/** A failed cell: the reason, worded like the mutations' messages. */
export class CellError extends Error {}

const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A timestamp read: the instant (epoch milliseconds) and how it is staged (text PostgreSQL reads back as that instant). */
export interface Stamp {
  ms: number;
  text: string;
}

/** An hour's UTC offset, and its ISO suffix when it is a whole number of minutes. */
interface HourOffset {
  ms: number;
  suffix: string | null;
}

/** The number written by `count` ASCII digits at `start`, or -1. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `+hh:mm` for an offset in whole minutes, else null (historical zones had offsets in seconds). */
function offsetSuffix(offsetMs: number): string | null {
  if (offsetMs % 60_000 !== 0) return null;
  const minutes = Math.abs(offsetMs) / 60_000;
  return `${offsetMs < 0 ? '-' : '+'}${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
}

/**
 * Reads ISO 8601 timestamps. Parsing a wall time in a zone costs several
 * Intl calls, far too slow for a million rows, so the zone's offset is
 * cached per local hour; hours with a transition (DST gaps and overlaps) are
 * resolved exactly every time. The staged text is the wall time as written
 * with the offset appended, not `Date#toISOString()`: formatting a Date
 * would cost more than reading it.
 */
export class TimestampReader {
  private readonly offsets = new Map<number, HourOffset | null>();

  constructor(readonly timeZone: string) {}

  /** The instant, or a CellError saying what form is expected. */
  read(text: string): Stamp {
    return this.readWallTime(text) ?? this.readIso(text);
  }

  /**
   * The common form, a wall time to the minute or second (`2024-05-12
   * 11:51`, `2024-05-12T11:51:07`), read digit by digit: the pattern's
   * match and its eight strings cost as much as the rest. Anything else
   * (an offset, a fraction, a bare day, a mistake) is readIso's.
   */
  private readWallTime(text: string): Stamp | null {
    const length = text.length;
    if ((length !== 16 && length !== 19) || this.timeZone === 'UTC') return null;
    const separator = text.charCodeAt(10);
    if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (separator !== 32 && separator !== 84) || text.charCodeAt(13) !== 58) return null;
    if (length === 19 && text.charCodeAt(16) !== 58) return null;
    const year = digits(text, 0, 4);
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    const hour = digits(text, 11, 2);
    const minute = digits(text, 14, 2);
    const second = length === 19 ? digits(text, 17, 2) : 0;
    if (year < 1000 || hour < 0 || minute < 0 || second < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return null;
    const offset = this.hourOffset(year, month, day, hour);
    if (offset === null || offset.suffix === null) return null;
    const wall = `${text.slice(0, 10)} ${text.slice(11, 16)}:${length === 19 ? text.slice(17, 19) : '00'}.000`;
    return { ms: Date.UTC(year, month - 1, day, hour, minute, second) - offset.ms, text: `${wall}${offset.suffix}` };
  }

  /** The local hour's offset, if the hour has one offset throughout (cached). */
  private hourOffset(year: number, month: number, day: number, hour: number): HourOffset | null {
    const hourKey = Math.floor(Date.UTC(year, month - 1, day, hour) / HOUR);
    let offset = this.offsets.get(hourKey);
    if (offset === undefined) {
      // The same offset a day either side: no transition in between (zones change far less often, as
      // fromCivil assumes), so the hour has that offset throughout. Two Intl calls where the exact
      // resolution below takes eight: a million rows span some 17,000 hours.
      const local = hourKey * HOUR;
      const before = zoneOffsetMs(local - DAY, this.timeZone);
      let ms: number | null = before;
      if (before !== zoneOffsetMs(local + DAY, this.timeZone)) {
        const start = fromCivil({ year, month, day, hour }, this.timeZone).getTime();
        const end = fromCivil({ year, month, day, hour, minute: 59, second: 59, millisecond: 999 }, this.timeZone).getTime();
        ms = end - start === HOUR - 1 ? local - start : null;
      }
      offset = ms === null ? null : { ms, suffix: offsetSuffix(ms) };
      this.offsets.set(hourKey, offset);
    }
    return offset;
  }

  private readIso(text: string): Stamp {
    const match = isoPattern.exec(text);
    if (!match) {
      throw new CellError(`must be an ISO 8601 timestamp such as 2026-03-01T09:00:00Z (or 2026-03-01 09:00 in the workspace’s time zone); got ${JSON.stringify(text)}.`);
    }
    const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone] = match as unknown as [string, string, string, string, string?, string?, string?, string?, string?];
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    const hour = Number(h);
    const minute = Number(mi);
    const second = Number(s);
    const milli = fraction.slice(0, 3).padEnd(3, '0');
    const millisecond = Number(milli);
    const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
    const check = new Date(asUtc);
    if (
      Number.isNaN(asUtc) ||
      check.getUTCFullYear() !== year ||
      check.getUTCMonth() !== month - 1 ||
      check.getUTCDate() !== day ||
      hour > 23 ||
      minute > 59 ||
      second > 59
    ) {
      throw new CellError(`is not a real date and time: ${JSON.stringify(text)}.`);
    }
    // The wall time to the millisecond, as the instant keeps it.
    const wall = `${y}-${mo}-${d} ${h}:${mi}:${s}.${milli}`;
    if (zone !== undefined) {
      if (zone === 'Z' || zone === 'z') return { ms: asUtc, text: `${wall}+00:00` };
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
      return { ms: asUtc - sign * offsetMinutes * 60_000, text: `${wall}${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}` };
    }
    if (this.timeZone === 'UTC') return { ms: asUtc, text: `${wall}+00:00` };
    const offset = this.hourOffset(year, month, day, hour);
    if (offset !== null) {
      const ms = asUtc - offset.ms;
      return { ms, text: offset.suffix === null ? new Date(ms).toISOString() : `${wall}${offset.suffix}` };
    }
    const exact = fromCivil({ year, month, day, hour, minute, second, millisecond }, this.timeZone);
    return { ms: exact.getTime(), text: exact.toISOString() };
  }
}

/** Text of a cell: strings as given, numbers written out; empty means absent. */
export function cellText(value: RawValue): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new CellError('must be a single value, not a list or an object.');
}

/**
 * Money as decimal text. A JSON number is refused: it has already been
 * through a binary float, and "never through a float" is the rule.
 */
export function moneyText(value: RawValue): string {
  if (typeof value === 'number') {
    throw new CellError(`must be a decimal written as a string, e.g. "1234.50", so that it is never rounded through a float; got the number ${value}.`);
  }
  const text = cellText(value);
  if (text === undefined) throw new CellError('is required.');
  return text.trim();
}

export function integerOf(value: RawValue): number {
  const text = cellText(value)?.trim();
  if (text === undefined || !/^-?\d{1,9}$/.test(text)) throw new CellError(`must be a whole number; got ${JSON.stringify(value)}.`);
  return Number(text);
}
