import type { Database } from '../../src/db/client.js';
import type { StreamedGoalEvent } from '../../src/cli/goal-event-stream.js';
import { streamGoalEvents } from '../../src/cli/goal-event-stream.js';

export type EventData = StreamedGoalEvent;

/**
 * Collects goal events in the background, as `kpigraph watch` receives them
 * (resuming after a dropped connection); `stop()` ends it.
 */
export function collectEvents(url: string, key: string, variables: { filter?: Record<string, unknown>; after?: string } = {}) {
  const events: EventData[] = [];
  const errors: unknown[] = [];
  const reconnects: string[] = [];
  const controller = new AbortController();
  const done = (async () => {
    try {
      const stream = streamGoalEvents({ url, apiKey: key, ...variables, signal: controller.signal, retryDelayMs: () => 100, onReconnecting: ({ reason }) => reconnects.push(reason) });
      for await (const event of stream) events.push(event);
    } catch (error) {
      if (!controller.signal.aborted) errors.push(error);
    }
  })();
  return {
    events,
    errors,
    reconnects,
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
