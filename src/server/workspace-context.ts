import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { scopedPrisma } from '../db/scoped-client.js';
import type { GraphQLContext, WorkspaceInfo } from '../graphql/context.js';
import { createKpiLoader } from '../kpi/engine.js';
import type { KpiRegistry } from '../kpi/registry.js';

/**
 * Builds a request's context for a workspace. Until API keys resolve the
 * workspace per request, every request uses the configured default one.
 * Loaders are created per request so that no cache outlives it.
 */
export function createContextFactory(db: Database, config: Config, registry: () => Promise<KpiRegistry>): () => Promise<GraphQLContext> {
  let cached: WorkspaceInfo | undefined;
  return async () => {
    cached ??= await loadWorkspace(db, config.DEFAULT_WORKSPACE_ID);
    const workspace = cached;
    const kpiRegistry = await registry();
    return {
      db,
      config,
      workspace,
      prisma: scopedPrisma(db.prisma, workspace.id),
      registry: kpiRegistry,
      now: new Date(),
      kpi: createKpiLoader({
        db,
        workspaceId: workspace.id,
        timeZone: workspace.timeZone,
        registry: kpiRegistry,
        options: {
          maxRangeDays: config.KPI_MAX_RANGE_DAYS,
          maxBuckets: config.KPI_MAX_BUCKETS,
          defaultTimeoutMs: config.KPI_TIMEOUT_MS,
        },
      }),
    };
  };
}

async function loadWorkspace(db: Database, id: number): Promise<WorkspaceInfo> {
  const workspace = await db.prisma.workspace.findUnique({ where: { id } });
  if (!workspace) {
    throw new Error(`Workspace ${id} does not exist: load demo data (npm run db:seed) or set DEFAULT_WORKSPACE_ID.`);
  }
  return { id: workspace.id, name: workspace.name, currency: workspace.currency, timeZone: workspace.timeZone };
}
