/**
 * The durable delivery queue: a delivery per (endpoint, event), queued in
 * the transaction that records the event, so a recorded event is never
 * without its deliveries and a restart loses none.
 */
import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.js';
import type { GoalEventFilter, GoalEventPayload } from '../goals/events/types.js';
import { matchesFilter } from '../goals/events/types.js';
import { goalStatuses } from '../goals/progress.js';

const filterSchema = z.object({
  status: z.array(z.enum(goalStatuses as [string, ...string[]])).optional(),
  kpi: z.array(z.string()).optional(),
  ownerId: z.array(z.number().int()).optional(),
  teamId: z.array(z.number().int()).optional(),
  kind: z.array(z.enum(['STATUS_CHANGED', 'THRESHOLD_CROSSED'])).optional(),
});

/** An endpoint's stored filter (a malformed one sends nothing rather than everything). */
export function endpointFilter(stored: unknown): GoalEventFilter | null {
  const parsed = filterSchema.safeParse(stored);
  return parsed.success ? (parsed.data as GoalEventFilter) : null;
}

/** Queues a delivery of each event to each enabled endpoint of its workspace whose filter takes it. */
export async function enqueueDeliveries(tx: Prisma.TransactionClient, events: readonly GoalEventPayload[], now: Date, retryHours: number): Promise<void> {
  const workspaceIds = [...new Set(events.map((event) => event.workspaceId))];
  const endpoints = await tx.webhookEndpoint.findMany({ where: { workspaceId: { in: workspaceIds }, disabledAt: null } });
  const giveUpAt = new Date(now.getTime() + retryHours * 3_600_000);
  const rows = events.flatMap((event) =>
    endpoints
      .filter((endpoint) => {
        const filter = endpointFilter(endpoint.filter);
        return endpoint.workspaceId === event.workspaceId && filter !== null && matchesFilter(event, filter);
      })
      .map((endpoint) => ({ workspaceId: event.workspaceId, endpointId: endpoint.id, eventId: event.id, nextAttemptAt: now, createdAt: now, giveUpAt })),
  );
  if (rows.length > 0) await tx.webhookDelivery.createMany({ data: rows, skipDuplicates: true });
}

/** The body sent for an event (Standard Webhooks: type, timestamp, data). */
export function webhookBody(event: GoalEventPayload): string {
  const type = event.kind === 'STATUS_CHANGED' ? 'goal.status_changed' : 'goal.threshold_crossed';
  return JSON.stringify({ type, timestamp: event.occurredAt, data: event });
}

/** The `webhook-id` of an event's message: the same on every attempt, for receivers to deduplicate. */
export const webhookMessageId = (eventId: number): string => `evt_${eventId}`;
