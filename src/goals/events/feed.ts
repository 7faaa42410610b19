/**
 * What a subscriber receives: the events it missed after the id it resumes
 * from (read from the database), then live ones, each once and in order,
 * limited to its filter and, for a team-limited key, to its team's goals.
 */
import type { PrismaClient } from '../../generated/prisma/client.js';
import { eventsAfter } from './history.js';
import type { GoalEventFilter, GoalEventPayload } from './types.js';
import { matchesFilter } from './types.js';

export interface LiveEvents {
  subscribe(workspaceId: number): AsyncIterableIterator<GoalEventPayload>;
}

export interface FeedRequest {
  workspaceId: number;
  /** Resume after this event id: the missed events come first. */
  after: number | null;
  filter: GoalEventFilter;
  /** A team-limited key's team: only goals of that team. */
  teamId: number | null;
}

export type GoalEventFeed = (request: FeedRequest) => AsyncGenerator<GoalEventPayload>;

/** `stopped` ends every stream (the server is shutting down). */
export function createGoalEventFeed(prisma: PrismaClient, live: LiveEvents, stopped: Promise<void>): GoalEventFeed {
  return async function* feed({ workspaceId, after, filter, teamId }) {
    const wanted = (event: GoalEventPayload) => matchesFilter(event, filter) && (teamId === null || event.teamId === teamId);
    // Subscribed before reading the backlog, so nothing committed in between is missed.
    const stream = live.subscribe(workspaceId);
    try {
      let last = after ?? 0;
      if (after !== null) {
        for (;;) {
          const missed = await eventsAfter(prisma, workspaceId, last);
          for (const event of missed) {
            last = event.id;
            if (wanted(event)) yield event;
          }
          if (missed.length < 1000) break;
        }
      }
      const end = stopped.then(() => null);
      for (;;) {
        const next = await Promise.race([stream.next(), end]);
        if (next === null || next.done) return;
        const event = next.value;
        if (after !== null && event.id <= last) continue;
        last = Math.max(last, event.id);
        if (wanted(event)) yield event;
      }
    } finally {
      await stream.return?.();
    }
  };
}
