/**
 * The periods the scenarios ask for, fixed relative to the bench's `now`:
 * the last 12 calendar months and the last quarter, in the workspace's zone.
 */
import { fromCivil, toCivil } from '../src/time/time-zone.js';
import { benchNow, benchTimeZone } from './clock.js';

export interface BenchPeriods {
  /** 13 edges: the start of each of the last 12 months, then the end of the last. */
  monthEdges: Date[];
  lastQuarter: { start: Date; end: Date };
}

const monthStart = (year: number, month: number): Date => {
  const d = new Date(Date.UTC(year, month - 1, 1));
  return fromCivil({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: 1 }, benchTimeZone);
};

export function benchPeriods(now: Date = benchNow): BenchPeriods {
  const civil = toCivil(now, benchTimeZone);
  // The current month is under way: the dashboard shows the 12 before it.
  const monthEdges = Array.from({ length: 13 }, (_, i) => monthStart(civil.year, civil.month - 12 + i));
  const quarterMonth = Math.floor((civil.month - 1) / 3) * 3 + 1;
  return { monthEdges, lastQuarter: { start: monthStart(civil.year, quarterMonth - 3), end: monthStart(civil.year, quarterMonth) } };
}
