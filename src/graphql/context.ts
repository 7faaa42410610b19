import type { KeyIdentity } from '../auth/api-keys.js';
import type { Database } from '../db/client.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Config } from '../config.js';
import type { GoalService } from '../goals/service.js';
import type { KpiQueryService } from '../kpi/query-service.js';
import type { GoalEventFeed } from '../goals/events/feed.js';
import type { KpiRegistry } from '../kpi/registry.js';
import type { RequestClock } from '../time/request-clock.js';
import type { RequestDataVersion } from '../db/data-version.js';

export interface WorkspaceInfo {
  id: number;
  name: string;
  currency: string;
  timeZone: string;
}

/** Everything one GraphQL request sees; built fresh per request. */
export interface GraphQLContext {
  db: Database;
  /** Scoped to `workspace`: the only Prisma client resolvers may use. */
  prisma: PrismaClient;
  workspace: WorkspaceInfo;
  config: Config;
  /** The request's API key: workspace, role and, when limited, team. */
  auth: KeyIdentity;
  /** Forgets a revoked key at once in this process. */
  forgetKey: (keyId: number) => void;
  /** Drops the cached workspace settings after they change. */
  invalidateWorkspace: () => void;
  /** Every KPI of the workspace: the plugins' and its run-time (formula) KPIs. */
  registry: KpiRegistry;
  /** The plugins' KPIs only: what a run-time KPI's formula may read. */
  plugins: KpiRegistry;
  /** Drops the cached run-time KPIs after one is defined, updated or removed. */
  invalidateKpis: () => void;
  /** The request's KPI query service (values, breakdowns, series within the key's team): every KPI value goes through it. */
  kpi: KpiQueryService;
  /** The request's goal service: progress, roll-ups and drivers, remembered for the request. */
  goals: GoalService;
  /** The instant named periods are relative to, fixed for the request; it notes whether the answer read it. */
  clock: RequestClock;
  /** The workspace's data version as this request reads it (a read-only request may pin it once). */
  dataVersion: RequestDataVersion;
  /** Recorded goal events for subscriptions; set by the server's goal-events plugin. */
  goalEvents?: GoalEventFeed;
}
