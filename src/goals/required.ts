/**
 * What it would take: the amount the rest of a goal's period must deliver,
 * per day and per week, and each group's share of the gap to the expected
 * value (drivers). Pure.
 */
import { Decimal } from 'decimal.js';
import type { Direction, TimeRange } from '../kpi/types.js';
import type { Pace } from './pacing.js';

const dayMs = 86_400_000;

/** Why there is no requirement. */
export interface RequiredReason {
  code: 'ALREADY_REACHED' | 'OUT_OF_REACH' | 'PERIOD_ENDED' | 'NOT_ADDITIVE' | 'NO_DATA';
  message: string;
}

export interface Required {
  /** Target − actual: what the rest of the period must add (higher is better) or may still add at most (lower is better). */
  remaining: Decimal | null;
  perDay: Decimal | null;
  perWeek: Decimal | null;
  /** Whole and partial days left in the period at the instant measured. */
  daysLeft: Decimal;
  reason: RequiredReason | null;
}

export interface RequiredInput {
  pace: Pace;
  direction: Direction;
  target: Decimal;
  actual: Decimal | null;
  period: TimeRange;
  /** The instant measured at (never past the period's end). */
  at: Date;
}

/**
 * For a total (linear or seasonal pacing): remaining = target − actual over
 * the days left, per day and per week (× 7). Null with a reason when the
 * period is over, the target is already reached (higher is better), a
 * lower-is-better total already passed its target (out of reach: a total
 * only grows), there is no actual, or the KPI is held (a rate has no amount
 * left to deliver; it must stand at the target by the end).
 */
export function requiredToReach(input: RequiredInput): Required {
  const daysLeft = Decimal.max(new Decimal(input.period.end.getTime() - input.at.getTime()).div(dayMs), 0);
  const none = (code: RequiredReason['code'], message: string, remaining: Decimal | null = null): Required => ({ remaining, perDay: null, perWeek: null, daysLeft, reason: { code, message } });
  if (input.pace.used === 'held') {
    return none('NOT_ADDITIVE', 'A rate or level is judged as it stands: it has no amount left to deliver, it must stand at the target by the end.');
  }
  if (input.actual === null) return none('NO_DATA', 'The KPI has no value yet.');
  const remaining = input.target.minus(input.actual);
  const lower = input.direction === 'lower';
  if (!lower && remaining.lte(0)) return none('ALREADY_REACHED', `The target ${input.target.toFixed()} is already reached.`, remaining);
  if (lower && remaining.lt(0)) return none('OUT_OF_REACH', `The total ${input.actual.toFixed()} already exceeds the target ${input.target.toFixed()} and only grows.`, remaining);
  if (daysLeft.isZero()) return none('PERIOD_ENDED', 'The period is over.', remaining);
  const perDay = remaining.div(daysLeft);
  return { remaining, perDay, perWeek: perDay.mul(7), daysLeft, reason: null };
}

/** One group's part in a goal's gap. */
export interface Driver {
  /** The group's key (a row ID for team, owner, campaign; the value otherwise). */
  key: string;
  actual: Decimal;
  /** The group's share of the reference period (the goal's baseline period). */
  share: Decimal;
  /** The goal's expected value × share. */
  expected: Decimal;
  /** actual − expected: negative groups pull the goal below its pace. */
  contribution: Decimal;
}

/**
 * Each group's contribution to the gap (actual − expected): its actual
 * against its expected share, the share being its part of the reference
 * period's total (evenly split when the reference has no total). Sorted
 * worst first in the better direction; contributions sum to the gap when
 * the groups cover the goal's scope.
 */
export function driversOfGap(
  expected: Decimal,
  actuals: ReadonlyMap<string, Decimal>,
  reference: ReadonlyMap<string, Decimal>,
  direction: Direction,
): Driver[] {
  const keys = [...new Set([...actuals.keys(), ...reference.keys()])];
  if (keys.length === 0) return [];
  const total = [...reference.values()].reduce((sum, v) => sum.plus(Decimal.max(v, 0)), new Decimal(0));
  const drivers = keys.map((key) => {
    const share = total.gt(0) ? Decimal.max(reference.get(key) ?? new Decimal(0), 0).div(total) : new Decimal(1).div(keys.length);
    const actual = actuals.get(key) ?? new Decimal(0);
    const groupExpected = expected.mul(share);
    return { key, actual, share, expected: groupExpected, contribution: actual.minus(groupExpected) };
  });
  const sign = direction === 'lower' ? -1 : 1;
  return drivers.sort((a, b) => sign * a.contribution.comparedTo(b.contribution) || a.key.localeCompare(b.key));
}
