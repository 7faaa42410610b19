import type { Prng } from './prng.js';
import { fromCivil, normaliseDate } from '../../time/time-zone.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** The demo history spans this many days before `now`. */
export const HISTORY_DAYS = 3 * 365;

/** More business in spring and autumn, a summer dip, a Q4 push, a quiet Christmas. */
const monthWeights = [0.9, 1, 1.1, 1.05, 1, 0.95, 0.72, 0.68, 1.05, 1.15, 1.2, 0.85];

/** 0 = Sunday … 6 = Saturday (UTC; 1970-01-01 was a Thursday). */
export function weekday(ms: number): number {
  return (Math.floor(ms / DAY) + 4) % 7;
}

/** July or August (UTC). */
export function isSummer(ms: number): boolean {
  const month = new Date(ms).getUTCMonth();
  return month === 6 || month === 7;
}

/** Moves a time that falls on a weekend to the Monday after, same time of day. */
export function onWorkday(ms: number): number {
  const day = weekday(ms);
  return day === 6 ? ms + 2 * DAY : day === 0 ? ms + DAY : ms;
}

/** A time of day in office hours (07:00–17:00 UTC, 08/09–18/19 in Central Europe). */
export function officeTime(rng: Prng, dayStartMs: number): number {
  return dayStartMs + 7 * HOUR + Math.floor(rng.next() * 10 * HOUR);
}

/**
 * Relative weight of each day of the history for new leads: seasonality,
 * weekdays, holidays and growth, so leads arrive unevenly and the business grows.
 */
export function leadDayWeights(startMs: number, days: number): number[] {
  const weights: number[] = [];
  for (let day = 0; day < days; day++) {
    const date = new Date(startMs + day * DAY);
    const month = date.getUTCMonth();
    const dom = date.getUTCDate();
    const dow = date.getUTCDay();
    let weight = monthWeights[month]! * (1 + 0.6 * (day / days));
    weight *= dow === 0 ? 0.12 : dow === 6 ? 0.2 : 1;
    if ((month === 11 && dom >= 23) || (month === 0 && dom === 1)) weight *= 0.25;
    weights.push(weight);
  }
  return weights;
}

/** Start of the calendar quarter that contains `ms` (UTC). */
function quarterStart(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), Math.floor(date.getUTCMonth() / 3) * 3, 1);
}

/**
 * Reps pull deals that would close early in a quarter into the last days of
 * the quarter before, strongest at year end: closes spike at quarter ends.
 * `notBefore` is the previous stage move, which the close must follow.
 */
export function quarterEndPull(rng: Prng, closeMs: number, notBefore: number): number {
  const start = quarterStart(closeMs);
  const yearEnd = new Date(start).getUTCMonth() === 0;
  if (closeMs - start > (yearEnd ? 45 : 21) * DAY) return closeMs;
  if (!rng.chance(yearEnd ? 0.7 : 0.35)) return closeMs;
  const from = Math.max(notBefore + HOUR, start - 8 * DAY);
  if (from >= start - HOUR) return closeMs;
  return from + Math.floor(rng.next() * (start - HOUR - from));
}

/**
 * Midnight of a calendar date in `timeZone`, as an absolute time: spend and
 * ledger rows are dated by day in the workspace's zone. `month` is 0-based,
 * as in Date.UTC, and may overflow.
 */
export function zonedMidnightFactory(timeZone: string): (year: number, month: number, day: number) => number {
  return (year, month, day) => fromCivil(normaliseDate(year, month + 1, day), timeZone).getTime();
}
