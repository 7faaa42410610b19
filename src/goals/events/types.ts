/**
 * The shapes goal events are made of: a judgement of one goal at an
 * instant (from whatever computes progress), the event recorded when a
 * judgement differs from the goal's last one, and the filter subscribers
 * and webhooks choose events with.
 */
import type { Decimal } from 'decimal.js';
import type { GoalStatus } from '../progress.js';

/** A goal as the detector needs it: who owns it and which KPI it is on. */
export interface JudgedGoal {
  id: number;
  workspaceId: number;
  kpiKey: string;
  ownerUserId: number | null;
  /** The owning team, or the owning user's team. */
  teamId: number | null;
  periodEnd: Date;
}

/** How one goal stands at `at`: its status and the numbers behind it. */
export interface GoalJudgement {
  goalId: number;
  status: GoalStatus;
  attainment: Decimal | null;
  /** Attainment against the stretch target, null without one. */
  stretchAttainment: Decimal | null;
  actual: Decimal | null;
  expected: Decimal | null;
  projected: Decimal | null;
  target: Decimal;
  numerator: Decimal | null;
  denominator: Decimal | null;
  at: Date;
}

/**
 * Judges a batch of goals of one workspace at an instant, in the order given.
 * The detector depends on this alone, not on how progress is computed.
 */
export type JudgeGoals = (workspaceId: number, goalIds: readonly number[], at: Date) => Promise<GoalJudgement[]>;

export type GoalEventKind = 'STATUS_CHANGED' | 'THRESHOLD_CROSSED';

/** A recorded event as subscribers and webhooks receive it (decimals as exact strings). */
export interface GoalEventPayload {
  id: number;
  workspaceId: number;
  goalId: number;
  sequence: number;
  kind: GoalEventKind;
  kpiKey: string;
  ownerUserId: number | null;
  teamId: number | null;
  oldStatus: GoalStatus | null;
  newStatus: GoalStatus;
  /** For THRESHOLD_CROSSED: 50, 100, or 150 for the stretch target. */
  threshold: number | null;
  attainment: string | null;
  actual: string | null;
  expected: string | null;
  projected: string | null;
  target: string;
  numerator: string | null;
  denominator: string | null;
  occurredAt: string;
}

/** Which events to receive; every list given must contain the event's value (an empty filter takes all). */
export interface GoalEventFilter {
  status?: readonly GoalStatus[] | null;
  kpi?: readonly string[] | null;
  ownerId?: readonly number[] | null;
  teamId?: readonly number[] | null;
  kind?: readonly GoalEventKind[] | null;
}

const within = <T>(list: readonly T[] | null | undefined, value: T | null): boolean =>
  !list || list.length === 0 || (value !== null && list.includes(value));

/** Whether an event passes a filter. */
export function matchesFilter(event: GoalEventPayload, filter: GoalEventFilter): boolean {
  return (
    within(filter.status, event.newStatus) &&
    within(filter.kpi, event.kpiKey) &&
    within(filter.ownerId, event.ownerUserId) &&
    within(filter.teamId, event.teamId) &&
    within(filter.kind, event.kind)
  );
}
