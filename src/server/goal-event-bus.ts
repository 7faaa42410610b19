/**
 * Carries recorded goal events to subscribers: yoga's pub/sub, over Redis
 * (every process's subscribers) when REDIS_URL is set, else in this process.
 * Channels are per workspace.
 */
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { GoalEventPayload } from '../goals/events/types.js';

export interface GoalEventBus {
  publish(events: readonly GoalEventPayload[]): void;
  /** Live events of one workspace, until the iterator is returned. */
  subscribe(workspaceId: number): AsyncIterableIterator<GoalEventPayload>;
  close(): Promise<void>;
}

export function createGoalEventBus(config: Config): GoalEventBus {
  const clients = config.REDIS_URL ? [new Redis(config.REDIS_URL), new Redis(config.REDIS_URL)] : [];
  const [publishClient, subscribeClient] = clients;
  const pubSub = createPubSub<Record<string, [GoalEventPayload]>>(
    publishClient && subscribeClient ? { eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) } : {},
  );
  const channel = (workspaceId: number) => `${config.GOAL_EVENTS_CHANNEL}${workspaceId}`;
  return {
    publish(events) {
      for (const event of events) pubSub.publish(channel(event.workspaceId), event);
    },
    subscribe(workspaceId) {
      const iterator = pubSub.subscribe(channel(workspaceId));
      return iterator[Symbol.asyncIterator]() as AsyncIterableIterator<GoalEventPayload>;
    },
    async close() {
      await Promise.all(clients.map((client) => client.quit().catch(() => undefined)));
    },
  };
}
