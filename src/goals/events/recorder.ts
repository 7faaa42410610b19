/**
 * Records judgements: each goal's state, status history and events, one
 * transaction per changed goal. The transaction first moves the goal's state
 * on from the sequence it was read at (a conditional update, or an insert
 * that skips an existing row); when another process got there first, nothing
 * is written and the goal is reported as contended, so a transition is
 * recorded exactly once however many processes judge it.
 */
import { Decimal } from 'decimal.js';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { GoalStatus } from '../progress.js';
import type { StoredGoalState } from './transitions.js';
import { transition } from './transitions.js';
import type { GoalEventPayload, GoalJudgement, JudgedGoal } from './types.js';

/** Called inside the transaction that records events, e.g. to queue webhook deliveries with them. */
export type OnRecorded = (tx: Prisma.TransactionClient, events: GoalEventPayload[], now: Date) => Promise<void>;

export interface RecordResult {
  events: GoalEventPayload[];
  /** Goals whose state another process changed since it was read: judge them again. */
  contended: number[];
}

const text = (value: Decimal | null): string | null => (value === null ? null : value.toFixed());
const decimal = (value: { toFixed(): string } | null): string | null => (value === null ? null : new Decimal(value.toFixed()).toFixed());

/** The stored states of some goals. */
export async function readStates(prisma: PrismaClient, goalIds: readonly number[]): Promise<Map<number, StoredGoalState>> {
  const rows = await prisma.goalEventState.findMany({ where: { goalId: { in: [...goalIds] } } });
  return new Map(rows.map((row) => [row.goalId, { status: row.status as GoalStatus, threshold: row.threshold, sequence: row.sequence, judgedAt: row.judgedAt }]));
}

/** Records what changed for each judged goal. */
export async function recordJudgements(
  prisma: PrismaClient,
  judged: readonly { goal: JudgedGoal; judgement: GoalJudgement }[],
  states: Map<number, StoredGoalState>,
  onRecorded?: OnRecorded,
): Promise<RecordResult> {
  const result: RecordResult = { events: [], contended: [] };
  for (const { goal, judgement } of judged) {
    const stored = states.get(goal.id) ?? null;
    const change = transition(stored, judgement, goal.periodEnd);
    if (!change.changed) continue;
    const recorded = await prisma.$transaction(async (tx) => {
      const sequence = (stored?.sequence ?? 0) + change.events.length;
      const state = { status: change.next.status, threshold: change.next.threshold, judgedAt: change.next.judgedAt, sequence };
      if (stored) {
        const { count } = await tx.goalEventState.updateMany({ where: { goalId: goal.id, sequence: stored.sequence }, data: state });
        if (count === 0) return null;
      } else {
        const { count } = await tx.goalEventState.createMany({ data: [{ goalId: goal.id, workspaceId: goal.workspaceId, ...state }], skipDuplicates: true });
        if (count === 0) return null;
      }
      if (change.statusBegan) {
        await tx.goalStatusPeriod.create({ data: { workspaceId: goal.workspaceId, goalId: goal.id, status: judgement.status, since: judgement.at } });
      }
      const events: GoalEventPayload[] = [];
      for (const [index, draft] of change.events.entries()) {
        const row = await tx.goalEvent.create({
          data: {
            workspaceId: goal.workspaceId,
            goalId: goal.id,
            sequence: (stored?.sequence ?? 0) + index + 1,
            kind: draft.kind,
            kpiKey: goal.kpiKey,
            ownerUserId: goal.ownerUserId,
            teamId: goal.teamId,
            oldStatus: draft.oldStatus,
            newStatus: draft.newStatus,
            threshold: draft.threshold,
            attainment: text(judgement.attainment),
            actual: text(judgement.actual),
            expected: text(judgement.expected),
            projected: text(judgement.projected),
            target: judgement.target.toFixed(),
            numerator: text(judgement.numerator),
            denominator: text(judgement.denominator),
            occurredAt: judgement.at,
          },
        });
        events.push(toPayload(row));
      }
      if (events.length > 0 && onRecorded) await onRecorded(tx, events, judgement.at);
      return events;
    });
    if (recorded === null) result.contended.push(goal.id);
    else result.events.push(...recorded);
  }
  return result;
}

type EventRow = Prisma.GoalEventGetPayload<object>;

/** A stored event as subscribers and webhooks receive it. */
export function toPayload(row: EventRow): GoalEventPayload {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    goalId: row.goalId,
    sequence: row.sequence,
    kind: row.kind,
    kpiKey: row.kpiKey,
    ownerUserId: row.ownerUserId,
    teamId: row.teamId,
    oldStatus: row.oldStatus as GoalStatus | null,
    newStatus: row.newStatus as GoalStatus,
    threshold: row.threshold,
    attainment: decimal(row.attainment),
    actual: decimal(row.actual),
    expected: decimal(row.expected),
    projected: decimal(row.projected),
    target: decimal(row.target)!,
    numerator: decimal(row.numerator),
    denominator: decimal(row.denominator),
    occurredAt: row.occurredAt.toISOString(),
  };
}
