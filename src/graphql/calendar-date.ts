/**
 * A date without a time, as the DateTime scalar accepts it ("2025-01-01"):
 * midnight in the workspace's time zone, which the scalar cannot know, so it
 * parses to this marked Date (UTC midnight until resolved) and the resolver
 * places it in the zone.
 */
import { fromCivil } from '../time/time-zone.js';

export class CalendarDate extends Date {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {
    super(Date.UTC(year, month - 1, day));
  }
}

/** The instant a DateTime argument means: a calendar date becomes midnight in `timeZone`; an instant stays. */
export function inZone(value: Date, timeZone: string): Date {
  return value instanceof CalendarDate ? fromCivil({ year: value.year, month: value.month, day: value.day }, timeZone) : value;
}

/** Like inZone, passing null and undefined through. */
export function optionalInZone<T extends Date | null | undefined>(value: T, timeZone: string): T | Date {
  return value ? inZone(value, timeZone) : value;
}
