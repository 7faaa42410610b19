import type { Database } from '../../src/db/client.js';
import { subscribeOverSse } from '../../src/cli/sse-client.js';

export const goalEventsSubscription = /* GraphQL */ `
  subscription Events($filter: GoalEventFilter, $after: ID) {
    goalEvents(filter: $filter, after: $after) {
      id kind goalId kpiKey oldStatus newStatus threshold attainment actual expected projected target numerator denominator occurredAt teamId
    }
  }
`;

export interface EventData {
  id: string;
  kind: string;
  goalId: string;
  kpiKey: string;
  oldStatus: string | null;
  newStatus: string;
  threshold: number | null;
  attainment: number | null;
  actual: number | null;
  expected: number | null;
  projected: number | null;
  target: number;
  numerator: number | null;
  denominator: number | null;
  occurredAt: string;
  teamId: string | null;
}

/** Collects a subscription's events in the background; `stop()` ends it. */
export function collectEvents(url: string, key: string, variables: Record<string, unknown> = {}) {
  const events: EventData[] = [];
  const errors: unknown[] = [];
  const controller = new AbortController();
  const done = (async () => {
    try {
      for await (const result of subscribeOverSse<{ goalEvents: EventData }>({ url, query: goalEventsSubscription, variables, headers: { authorization: `Bearer ${key}` }, signal: controller.signal })) {
        if (result.errors) errors.push(...result.errors);
        if (result.data) events.push(result.data.goalEvents);
      }
    } catch (error) {
      if (!controller.signal.aborted) errors.push(error);
    }
  })();
  return {
    events,
    errors,
    async stop() {
      controller.abort();
      await done;
    },
  };
}

/** Waits until `check` holds, polling every 20 ms, or fails after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Events recorded in the database, oldest first. */
export const storedEvents = (db: Database) => db.prisma.goalEvent.findMany({ orderBy: { id: 'asc' } });
