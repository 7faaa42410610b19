/**
 * Rolling goals up into a scorecard for a person or a team: counts by status
 * and one overall attainment. Pure.
 */
import { Decimal } from 'decimal.js';
import type { GoalStatus } from './progress.js';

/** One goal's attainment is capped at 150 % so that one runaway goal cannot hide missed ones. */
export const attainmentCap = new Decimal(1.5);

export interface ScorecardSummary {
  total: number;
  counts: Record<GoalStatus, number>;
  /**
   * Mean of the goals' attainments, each capped at 1.5 first; goals without
   * an attainment (no value yet, not started) are left out; null when none
   * has one.
   */
  attainment: Decimal | null;
  /** How many goals the attainment averages. */
  scored: number;
}

/** Counts by status and the mean capped attainment of a list of goals' progress. */
export function summarize(goals: readonly { status: GoalStatus; attainment: Decimal | null }[]): ScorecardSummary {
  const counts: Record<GoalStatus, number> = { NOT_STARTED: 0, ON_TRACK: 0, AT_RISK: 0, OFF_TRACK: 0, ACHIEVED: 0, MISSED: 0, NO_DATA: 0 };
  let sum = new Decimal(0);
  let scored = 0;
  for (const goal of goals) {
    counts[goal.status] += 1;
    if (goal.attainment === null) continue;
    sum = sum.plus(Decimal.min(goal.attainment, attainmentCap));
    scored += 1;
  }
  return { total: goals.length, counts, attainment: scored === 0 ? null : sum.div(scored), scored };
}
