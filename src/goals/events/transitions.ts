/**
 * What changed between a goal's last judged state and a new judgement: the
 * pure rule that decides which events a judgement makes.
 */
import type { GoalStatus } from '../progress.js';
import type { GoalEventKind, GoalJudgement } from './types.js';

/** The attainment thresholds that make an event when first reached: 50 %, 100 %, and 150 standing for the stretch target. */
export const thresholds = [50, 100, 150] as const;

export interface StoredGoalState {
  status: GoalStatus;
  threshold: number;
  sequence: number;
  judgedAt: Date;
}

export interface EventDraft {
  kind: GoalEventKind;
  oldStatus: GoalStatus | null;
  newStatus: GoalStatus;
  threshold: number | null;
}

export interface Transition {
  /** Events to record, in order; their sequences follow the stored one. */
  events: EventDraft[];
  /** The state to store. */
  next: Omit<StoredGoalState, 'sequence'>;
  /** The status began now: a new line of the status history. */
  statusBegan: boolean;
  /** Whether anything needs writing at all. */
  changed: boolean;
}

/** The highest threshold a judgement reaches: 150 (stretch met), 100, 50 or 0. */
export function thresholdReached(judgement: Pick<GoalJudgement, 'attainment' | 'stretchAttainment'>): number {
  if (judgement.stretchAttainment?.gte(1)) return 150;
  if (judgement.attainment?.gte(1)) return 100;
  if (judgement.attainment?.gte(0.5)) return 50;
  return 0;
}

/**
 * The events a judgement makes against the stored state. A goal judged for
 * the first time records its status without an event (a restart or a new
 * goal announces nothing). A status that differs makes STATUS_CHANGED; each
 * threshold newly reached makes THRESHOLD_CROSSED (falling back below one
 * is stored quietly, so reaching it again is announced again). A judgement
 * after the period's end is stored once even when nothing changed, so the
 * clock stops judging that goal.
 */
export function transition(stored: StoredGoalState | null, judgement: GoalJudgement, periodEnd: Date): Transition {
  const reached = thresholdReached(judgement);
  const next = { status: judgement.status, threshold: reached, judgedAt: judgement.at };
  if (!stored) return { events: [], next, statusBegan: true, changed: true };
  const events: EventDraft[] = [];
  if (stored.status !== judgement.status) {
    events.push({ kind: 'STATUS_CHANGED', oldStatus: stored.status, newStatus: judgement.status, threshold: null });
  }
  for (const level of thresholds) {
    if (level > stored.threshold && level <= reached) {
      events.push({ kind: 'THRESHOLD_CROSSED', oldStatus: stored.status, newStatus: judgement.status, threshold: level });
    }
  }
  const closesPeriod = judgement.at.getTime() >= periodEnd.getTime() && stored.judgedAt.getTime() < periodEnd.getTime();
  const changed = events.length > 0 || reached !== stored.threshold || closesPeriod;
  return { events, next, statusBegan: stored.status !== judgement.status, changed };
}
