/**
 * The pure arithmetic of a goal's progress: how much of its period has
 * elapsed, what it should stand at by now (pacing), where it is heading
 * (forecast), and its status. No I/O: the GraphQL layer loads the KPI's
 * value through the engine and hands it here.
 */
import { Decimal } from 'decimal.js';
import { attainment } from '../kpi/targets.js';
import type { Direction, TimeRange } from '../kpi/types.js';
import type { Pace } from './pacing.js';
import { pacedExpected, pacedProjection, paceAt } from './pacing.js';

/**
 * Where a goal stands. While its period runs: ON_TRACK, AT_RISK, OFF_TRACK,
 * or ACHIEVED once an additive total has reached a higher-is-better target
 * (it cannot fall again). Once the period ended: ACHIEVED or MISSED.
 * NOT_STARTED before the period; NO_DATA when the KPI has no value (see the
 * reason, e.g. a zero denominator).
 */
export type GoalStatus = 'NOT_STARTED' | 'ON_TRACK' | 'AT_RISK' | 'OFF_TRACK' | 'ACHIEVED' | 'MISSED' | 'NO_DATA';
export const goalStatuses: readonly GoalStatus[] = ['NOT_STARTED', 'ON_TRACK', 'AT_RISK', 'OFF_TRACK', 'ACHIEVED', 'MISSED', 'NO_DATA'];

/** The default at-risk margin: a projection up to 10 % short of the target is AT_RISK. */
export const defaultAtRiskMargin = 0.1;

export { isAdditive } from './pacing.js';

/** A KPI without a direction is judged as higher-is-better, as targets.ts does. */
const better = (direction: Direction): 'higher' | 'lower' => (direction === 'lower' ? 'lower' : 'higher');

/** Whether `value` meets `target` in the better direction (ties meet it). */
export function meets(value: Decimal, target: Decimal, direction: Direction): boolean {
  return better(direction) === 'lower' ? value.lte(target) : value.gte(target);
}

/**
 * The instant progress is measured at: `at`, but never past the period's
 * end (a goal judged after its period is judged on the whole period).
 */
export function measuredAt(period: TimeRange, at: Date): Date {
  return at.getTime() < period.end.getTime() ? at : period.end;
}

/** The elapsed share of the period at `at`, from 0 (not started) to 1 (over), by wall-clock time. */
export function elapsedFraction(period: TimeRange, at: Date): Decimal {
  const start = period.start.getTime();
  const end = period.end.getTime();
  const t = Math.min(Math.max(at.getTime(), start), end);
  return new Decimal(t - start).div(end - start);
}

export interface ProgressInput {
  direction: Direction;
  additive: boolean;
  target: Decimal;
  /** The KPI over [period start, t); null when it has no value. */
  actual: Decimal | null;
  /** From `elapsedFraction`. */
  elapsed: Decimal;
  /** Share of the target a projection may fall short by and be AT_RISK (default 0.1). */
  atRiskMargin?: number;
  /** The pace to judge by; left out: linear when additive, else held. */
  pace?: Pace;
}

export interface Progress {
  status: GoalStatus;
  /** Actual against target, 1 = on target, above 1 = better (target ÷ actual when lower is better). */
  attainment: Decimal | null;
  /** Where the KPI should stand by now. */
  expected: Decimal | null;
  /** Where the KPI will stand at the end at the current pace. */
  projected: Decimal | null;
}

/**
 * The status of a goal, with m the at-risk margin (GOAL_AT_RISK_MARGIN):
 *
 * - elapsed = 0: NOT_STARTED; no actual value: NO_DATA.
 * - elapsed = 1 (the period is over): ACHIEVED when the actual meets the
 *   target in the better direction (ties meet it), else MISSED.
 * - running, additive and higher-is-better, actual already ≥ target: ACHIEVED
 *   (a total only grows).
 * - running, otherwise, by the projection p (run-rate for additive KPIs, the
 *   current value for rates) against the target T:
 *   higher is better: p ≥ T → ON_TRACK; p ≥ T − m·|T| → AT_RISK; else OFF_TRACK;
 *   lower is better:  p ≤ T → ON_TRACK; p ≤ T + m·|T| → AT_RISK; else OFF_TRACK.
 *   (|T| keeps the band on the worse side for negative targets such as an
 *   NPS of −10; a target of 0 has no at-risk band.)
 */
export function goalStatus(input: ProgressInput, projected: Decimal | null): GoalStatus {
  const { direction, additive, target, actual, elapsed } = input;
  const margin = new Decimal(input.atRiskMargin ?? defaultAtRiskMargin);
  if (elapsed.isZero()) return 'NOT_STARTED';
  if (actual === null) return 'NO_DATA';
  if (elapsed.gte(1)) return meets(actual, target, direction) ? 'ACHIEVED' : 'MISSED';
  if (additive && better(direction) === 'higher' && actual.gte(target)) return 'ACHIEVED';
  if (projected === null) return 'NO_DATA';
  if (meets(projected, target, direction)) return 'ON_TRACK';
  const band = target.abs().mul(margin);
  const edge = better(direction) === 'lower' ? target.plus(band) : target.minus(band);
  return meets(projected, edge, direction) ? 'AT_RISK' : 'OFF_TRACK';
}

/** Attainment, pacing, forecast and status of a goal at one instant. */
export function computeProgress(input: ProgressInput): Progress {
  const pace = input.pace ?? paceAt(input.additive ? 'linear' : 'held', input.elapsed, null);
  const projected = pacedProjection(input.actual, pace);
  return {
    status: goalStatus(input, projected),
    attainment: attainment(input.actual, input.target, input.direction),
    expected: pacedExpected(input.target, pace),
    projected,
  };
}

/**
 * Whether a baseline already meets the target in the better direction: such
 * a goal asks for nothing new, which is allowed but worth a warning.
 */
export function targetAlreadyMet(baseline: Decimal | null, target: Decimal, direction: Direction): boolean {
  return baseline !== null && meets(baseline, target, direction);
}
