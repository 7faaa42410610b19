import type { Authenticator } from '../auth/authenticator.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { scopedPrisma } from '../db/scoped-client.js';
import type { KeyIdentity } from '../auth/api-keys.js';
import { AuthenticationError, DomainError } from '../errors.js';
import { graphQLErrorOf } from './mask-errors.js';
import { clientAddress } from './client-address.js';
import type { GraphQLContext, WorkspaceInfo } from '../graphql/context.js';
import type { KpiBatchObserver } from '../kpi/engine.js';
import { GroupDirectory } from '../kpi/group-directory.js';
import { createKpiQueryService } from '../kpi/query-service-factory.js';
import type { KpiRegistry } from '../kpi/registry.js';
import { GoalService } from '../goals/service.js';
import { createWorkspaceRegistry, loadWorkspaceKpis } from '../kpi/workspace-kpis.js';
import type { KpiResultCache } from '../kpi/cache/result-cache.js';
import type { ReplicaSet } from '../db/replicas.js';
import { RequestDataVersion } from '../db/data-version.js';
import { RequestClock } from '../time/request-clock.js';

/**
 * Builds a request's context from its API key: the key names the workspace,
 * the role and, for a team-limited key, the team (a parameter of the
 * request's KPI query service). Services and their loaders are created per
 * request so that no cache outlives it.
 */
export function createContextFactory(
  db: Database,
  config: Config,
  registry: () => Promise<KpiRegistry>,
  authenticator: Authenticator,
  scale: { resultCache?: KpiResultCache | undefined; replicas?: ReplicaSet | undefined; kpiObserver?: KpiBatchObserver | undefined } = {},
): (initial: { request: Request }) => Promise<GraphQLContext> {
  const workspaces = new WorkspaceCache(db);
  const workspaceKpis = new WorkspaceKpiCache(db);
  const directory = new GroupDirectory(db);
  return async (initial) => {
    const { request } = initial;
    const { auth, workspace } = await authenticated(() => authenticator.authenticate(request.headers.get('authorization'), clientAddress(request, initial, config.RATE_LIMIT_TRUST_PROXY)), workspaces);
    const plugins = await registry();
    const kpiRegistry = await workspaceKpis.get(workspace.id, plugins);
    const prisma = scopedPrisma(db.prisma, { workspaceId: workspace.id, teamId: auth.teamId });
    const dataVersion = new RequestDataVersion(db, workspace.id);
    const kpi = createKpiQueryService({
      dataVersion,
      db,
      workspaceId: workspace.id,
      timeZone: workspace.timeZone,
      registry: kpiRegistry,
      directory,
      teamScope: auth.teamId,
      ...(scale.resultCache ? { cache: scale.resultCache } : {}),
      ...(scale.replicas ? { replicas: scale.replicas } : {}),
      options: { maxRangeDays: config.KPI_MAX_RANGE_DAYS, maxBuckets: config.KPI_MAX_BUCKETS, defaultTimeoutMs: config.KPI_TIMEOUT_MS, rollups: config.ROLLUPS, ...(scale.kpiObserver ? { observer: scale.kpiObserver } : {}) },
    });
    return {
      db,
      config,
      workspace,
      auth,
      prisma,
      registry: kpiRegistry,
      plugins,
      clock: new RequestClock(),
      dataVersion,
      kpi,
      goals: new GoalService({ kpi, registry: kpiRegistry, prisma, timeZone: workspace.timeZone, atRiskMargin: config.GOAL_AT_RISK_MARGIN }),
      invalidateWorkspace: () => workspaces.forget(workspace.id),
      invalidateKpis: () => workspaceKpis.forget(workspace.id),
      forgetKey: (keyId) => authenticator.forget(keyId),
    };
  };
}

/** The key's identity and workspace; a refusal is answered as the error plugin maps it, and not logged as a failure of the server. */
async function authenticated(authenticate: () => Promise<KeyIdentity>, workspaces: WorkspaceCache): Promise<{ auth: KeyIdentity; workspace: WorkspaceInfo }> {
  try {
    const auth = await authenticate();
    return { auth, workspace: await workspaces.get(auth.workspaceId) };
  } catch (error) {
    throw error instanceof DomainError ? graphQLErrorOf(error) : error;
  }
}

/** Workspaces by id, re-read after a short while so settings changes reach every process. */
class WorkspaceCache {
  private readonly entries = new Map<number, { info: WorkspaceInfo; until: number }>();
  constructor(
    private readonly db: Database,
    private readonly ttlMs = 30_000,
  ) {}

  async get(id: number): Promise<WorkspaceInfo> {
    const cached = this.entries.get(id);
    if (cached && cached.until > Date.now()) return cached.info;
    const workspace = await this.db.prisma.workspace.findUnique({ where: { id } });
    if (!workspace) throw new AuthenticationError('The API key’s workspace no longer exists.');
    const info = { id: workspace.id, name: workspace.name, currency: workspace.currency, timeZone: workspace.timeZone };
    this.entries.set(id, { info, until: Date.now() + this.ttlMs });
    return info;
  }

  forget(id: number): void {
    this.entries.delete(id);
  }
}

/**
 * Each workspace's registry (the plugins plus its run-time KPIs), re-read
 * after a short while so that a KPI defined through another process reaches
 * this one; the process that changes one forgets it at once. A dashboard
 * thus pays no statement for the definitions.
 */
class WorkspaceKpiCache {
  private readonly entries = new Map<number, { plugins: KpiRegistry; registry: Promise<KpiRegistry>; until: number }>();
  constructor(
    private readonly db: Database,
    private readonly ttlMs = 30_000,
  ) {}

  get(workspaceId: number, plugins: KpiRegistry): Promise<KpiRegistry> {
    const cached = this.entries.get(workspaceId);
    if (cached && cached.plugins === plugins && cached.until > Date.now()) return cached.registry;
    const registry = loadWorkspaceKpis(this.db, workspaceId).then((rows) => createWorkspaceRegistry(plugins, rows));
    this.entries.set(workspaceId, { plugins, registry, until: Date.now() + this.ttlMs });
    void registry.catch(() => this.entries.delete(workspaceId));
    return registry;
  }

  forget(workspaceId: number): void {
    this.entries.delete(workspaceId);
  }
}
