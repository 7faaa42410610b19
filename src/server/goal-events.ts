/**
 * Goal events in a server process: the detector (judging goals after writes
 * and on the clock), the bus to subscribers, the webhook worker, and the
 * yoga plugin that marks a workspace after each mutation and hands
 * resolvers the event feed.
 */
import { Kind, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { GoalEventDetector } from '../goals/events/detector.js';
import type { GoalEventFeed } from '../goals/events/feed.js';
import { createGoalEventFeed } from '../goals/events/feed.js';
import { kpiReads, touchedByMutation } from '../goals/events/sources.js';
import type { GraphQLContext } from '../graphql/context.js';
import type { KpiRegistry } from '../kpi/registry.js';
import { enqueueDeliveries } from '../webhooks/queue.js';
import { WebhookWorker } from '../webhooks/worker.js';
import { createGoalEventBus } from './goal-event-bus.js';
import { createGoalJudge } from './goal-judge.js';

export interface GoalEventsOptions {
  /** The clock goals are judged and webhooks scheduled by; injectable for tests. */
  now?: () => Date;
  /** Jitter source of webhook retries. */
  random?: () => number;
}

export interface GoalEventsRuntime {
  detector: GoalEventDetector;
  worker: WebhookWorker;
  feed: GoalEventFeed;
  plugin: Plugin<GraphQLContext>;
  start(): void;
  close(): Promise<void>;
}

export function createGoalEvents(db: Database, config: Config, registry: () => Promise<KpiRegistry>, options: GoalEventsOptions = {}): GoalEventsRuntime {
  const report = (what: string) => (error: unknown) => console.error(`${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const enabled = config.GOAL_EVENTS ?? config.NODE_ENV !== 'test';
  const bus = createGoalEventBus(config);
  const worker = new WebhookWorker({
    db,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
    pollMs: config.WEBHOOK_POLL_MS,
    ...(options.now ? { now: options.now } : {}),
    ...(options.random ? { random: options.random } : {}),
    onError: report('webhook delivery'),
  });
  const detector = new GoalEventDetector({
    prisma: db.prisma,
    judge: createGoalJudge(db, config, registry),
    publish: (events) => {
      bus.publish(events);
      void worker.nudge();
    },
    onRecorded: (tx, events, now) => enqueueDeliveries(tx, events, now, config.WEBHOOK_RETRY_HOURS),
    kpiReads: async (_workspaceId, kpiKey) => kpiReads((await registry()).get(kpiKey)),
    debounceMs: config.GOAL_EVENTS_DEBOUNCE_MS,
    intervalMs: config.GOAL_EVENTS_INTERVAL_MS,
    ...(options.now ? { now: options.now } : {}),
    onError: report('goal events'),
  });
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const feed = createGoalEventFeed(db.prisma, bus, stopped);
  const plugin: Plugin<GraphQLContext> = {
    onContextBuilding({ extendContext }) {
      extendContext({ goalEvents: feed });
    },
    onExecute({ args }) {
      if (!enabled) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const workspaceId = args.contextValue.workspace.id;
      // Root fields reached through fragments are not read: such a mutation counts as touching everything.
      const fields = operation.selectionSet.selections.map((selection) => (selection.kind === Kind.FIELD ? selection.name.value : ''));
      const touched = touchedByMutation(fields);
      if (touched !== 'all' && touched.size === 0) return;
      return { onExecuteDone: () => detector.markWorkspace(workspaceId, touched) };
    },
  };
  return {
    detector,
    worker,
    feed,
    plugin,
    start() {
      if (!enabled) return;
      detector.start();
      worker.start();
      // Goals are judged once at start, so time that passed while no process ran is caught up.
      void detector.tick();
    },
    async close() {
      stop();
      await detector.close();
      await worker.close();
      await bus.close();
    },
  };
}
