/**
 * Cell values as files and APIs give them (text, or JSON scalars) turned
 * into what the staging tables store. Money stays decimal text from start to
 * end; timestamps without an offset are wall times in the workspace's zone.
 */
import { fromCivil } from '../kpi/time-zone.js';

export type RawValue = string | number | boolean | null | undefined | object;

/** A failed cell: the reason, worded like the mutations' messages. */
export class CellError extends Error {}

const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const HOUR = 3_600_000;

/**
 * Reads ISO 8601 timestamps. Parsing a wall time in a zone costs several
 * Intl calls, far too slow for a million rows, so the zone's offset is
 * cached per local hour; hours with a transition (DST gaps and overlaps) are
 * resolved exactly every time.
 */
export class TimestampReader {
  private readonly offsets = new Map<number, number | null>();

  constructor(readonly timeZone: string) {}

  /** The instant, or a CellError saying what form is expected. */
  read(text: string): Date {
    const match = isoPattern.exec(text);
    if (!match) {
      throw new CellError(`must be an ISO 8601 timestamp such as 2026-03-01T09:00:00Z (or 2026-03-01 09:00 in the workspace’s time zone); got ${JSON.stringify(text)}.`);
    }
    const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    const hour = Number(h);
    const minute = Number(mi);
    const second = Number(s);
    const millisecond = Number(fraction.slice(0, 3).padEnd(3, '0'));
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
    if (zone !== undefined) {
      if (zone === 'Z' || zone === 'z') return check;
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
      return new Date(asUtc - sign * offsetMinutes * 60_000);
    }
    if (this.timeZone === 'UTC') return check;
    const hourKey = Math.floor(asUtc / HOUR);
    let offset = this.offsets.get(hourKey);
    if (offset === undefined) {
      // The hour's offset, if the hour has one offset throughout.
      const start = fromCivil({ year, month, day, hour }, this.timeZone).getTime();
      const end = fromCivil({ year, month, day, hour, minute: 59, second: 59, millisecond: 999 }, this.timeZone).getTime();
      const startOffset = hourKey * HOUR - start;
      offset = end - start === HOUR - 1 ? startOffset : null;
      this.offsets.set(hourKey, offset);
    }
    if (offset !== null) return new Date(asUtc - offset);
    return fromCivil({ year, month, day, hour, minute, second, millisecond }, this.timeZone);
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
