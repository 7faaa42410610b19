/**
 * Goal events as a client receives them: the `goalEvents` subscription over
 * Server-Sent Events, kept open across dropped connections and server
 * restarts by subscribing again after the last event received (`after`), so
 * the server replays what was missed from its stored events and none is lost
 * or repeated. Used by `kpigraph watch` and by the tests of events.
 */
import { SseHttpError, subscribeOverSse } from './sse-client.js';

export const goalEventsDocument = /* GraphQL */ `
  subscription GoalEventStream($filter: GoalEventFilter, $after: ID) {
    goalEvents(filter: $filter, after: $after) {
      id kind goalId kpiKey oldStatus newStatus threshold attainment actual expected projected target numerator denominator occurredAt ownerId teamId
    }
  }
`;

/** One event as the subscription above selects it. */
export interface StreamedGoalEvent {
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
  ownerId: string | null;
  teamId: string | null;
}

/** The server refused the subscription (a GraphQL error or an HTTP error status): subscribing again would not help. */
export class GoalEventStreamRefused extends Error {
  constructor(
    message: string,
    /** `extensions.code` of the GraphQL error, or `HTTP <status>`. */
    readonly code: string | undefined,
    readonly httpStatus: number | undefined,
  ) {
    super(message);
  }
}

/** The first connection failed: this server never accepted the subscription. */
export class GoalEventStreamUnreachable extends Error {}

export interface Reconnecting {
  /** Why the stream ended: a network error, or the server ending it (stopping). */
  reason: string;
  delayMs: number;
  /** The last event id received, resumed after. */
  after: string | null;
}

export interface GoalEventStreamOptions {
  url: string;
  apiKey: string;
  filter?: Record<string, unknown>;
  /** Start after this event id (replaying the stored events after it). */
  after?: string | null;
  signal?: AbortSignal;
  onReconnecting?: (info: Reconnecting) => void;
  /** The wait after `failures` reconnections in a row that were not accepted (0 after a stream the server had accepted). */
  retryDelayMs?: (retry: number) => number;
}

const defaultDelay = (retry: number): number => Math.min(10_000, 500 * 2 ** retry);

/** undici hides the socket error in `cause`. */
export function networkReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = cause instanceof Error && 'code' in cause ? String(cause.code) : undefined;
  return code ?? (cause instanceof Error ? cause.message : String(cause));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Events until `signal` aborts. Throws GoalEventStreamRefused when the server
 * refuses, GoalEventStreamUnreachable when the very first connection fails;
 * any later loss of the connection is retried with back-off.
 */
export async function* streamGoalEvents(options: GoalEventStreamOptions): AsyncGenerator<StreamedGoalEvent> {
  let after = options.after ?? null;
  let connected = false;
  const delay = options.retryDelayMs ?? defaultDelay;
  let failures = 0;
  while (!options.signal?.aborted) {
    let reason = 'the server ended the stream';
    try {
      const results = subscribeOverSse<{ goalEvents: StreamedGoalEvent }>({
        url: options.url,
        query: goalEventsDocument,
        variables: { filter: options.filter ?? {}, after },
        headers: { authorization: `Bearer ${options.apiKey}` },
        ...(options.signal ? { signal: options.signal } : {}),
        onOpen: () => {
          connected = true;
          failures = 0;
        },
      });
      for await (const result of results) {
        const error = result.errors?.[0];
        if (error) throw new GoalEventStreamRefused(result.errors!.map((e) => e.message).join('\n'), error.extensions?.code, undefined);
        const event = result.data?.goalEvents;
        if (!event) continue;
        after = event.id;
        yield event;
      }
    } catch (error) {
      if (options.signal?.aborted) return;
      if (error instanceof GoalEventStreamRefused) throw error;
      if (error instanceof SseHttpError) throw new GoalEventStreamRefused(error.message, `HTTP ${error.status}`, error.status);
      if (!connected) throw new GoalEventStreamUnreachable(networkReason(error), { cause: error });
      reason = networkReason(error);
    }
    // A stream ends only when the server stops (a restart, a deploy): subscribe again.
    const delayMs = delay(failures);
    failures += 1;
    options.onReconnecting?.({ reason, delayMs, after });
    await sleep(delayMs, options.signal);
  }
}
