/**
 * Reading what the detector stored: a goal's status history, and events
 * after an id (for subscribers that resume).
 */
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { GoalStatus } from '../progress.js';
import { toPayload } from './recorder.js';
import type { GoalEventPayload } from './types.js';

export interface StatusPeriod {
  status: GoalStatus;
  since: Date;
  /** When the next status began; null for the current one. */
  until: Date | null;
}

/** Each goal's statuses, oldest first, in one query for the whole list. */
export async function statusHistories(prisma: PrismaClient, goalIds: readonly number[]): Promise<StatusPeriod[][]> {
  const rows = await prisma.goalStatusPeriod.findMany({ where: { goalId: { in: [...goalIds] } }, orderBy: [{ goalId: 'asc' }, { since: 'asc' }, { id: 'asc' }] });
  const byGoal = new Map<number, StatusPeriod[]>();
  for (const row of rows) {
    const list = byGoal.get(row.goalId) ?? [];
    const previous = list.at(-1);
    if (previous) previous.until = row.since;
    list.push({ status: row.status as GoalStatus, since: row.since, until: null });
    byGoal.set(row.goalId, list);
  }
  return goalIds.map((id) => byGoal.get(id) ?? []);
}

/** Events of a workspace after `afterId`, oldest first (at most `limit`). */
export async function eventsAfter(prisma: PrismaClient, workspaceId: number, afterId: number, limit = 1000): Promise<GoalEventPayload[]> {
  const rows = await prisma.goalEvent.findMany({ where: { workspaceId, id: { gt: afterId } }, orderBy: { id: 'asc' }, take: limit });
  return rows.map(toPayload);
}
