import type { Database } from '../db/client.js';
import { scopedPrisma } from '../db/scoped-client.js';
import type { Config } from '../config.js';
import type { GraphQLContext, WorkspaceInfo } from '../graphql/context.js';

/**
 * Builds a request's context for a workspace. Until API keys resolve the
 * workspace per request, every request uses the configured default one.
 */
export function createContextFactory(db: Database, config: Config): () => Promise<GraphQLContext> {
  let cached: WorkspaceInfo | undefined;
  return async () => {
    cached ??= await loadWorkspace(db, config.DEFAULT_WORKSPACE_ID);
    return { db, config, workspace: cached, prisma: scopedPrisma(db.prisma, cached.id) };
  };
}

async function loadWorkspace(db: Database, id: number): Promise<WorkspaceInfo> {
  const workspace = await db.prisma.workspace.findUnique({ where: { id } });
  if (!workspace) {
    throw new Error(`Workspace ${id} does not exist: load demo data (npm run db:seed) or set DEFAULT_WORKSPACE_ID.`);
  }
  return { id: workspace.id, name: workspace.name, currency: workspace.currency, timeZone: workspace.timeZone };
}
