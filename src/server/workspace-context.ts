import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { Authenticator } from '../auth/authenticator.js';
import type { KeyIdentity } from '../auth/api-keys.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { scopedPrisma } from '../db/scoped-client.js';
import { clientAddress } from './client-address.js';
import type { GraphQLContext, WorkspaceInfo } from '../graphql/context.js';
import type { KpiCellKey } from '../kpi/cell.js';
import { cellCacheKey } from '../kpi/cell.js';
import type { CellValues } from '../kpi/define.js';
import type { KpiBatchObserver, KpiLoader } from '../kpi/engine.js';
import { createKpiLoader } from '../kpi/engine.js';
import type { KpiRegistry } from '../kpi/registry.js';
import { GoalService } from '../goals/service.js';
import { createWorkspaceRegistry, loadWorkspaceKpis } from '../kpi/workspace-kpis.js';
import type { KpiResultCache } from '../kpi/cache/result-cache.js';
import type { ReplicaSet } from '../db/replicas.js';

/**
 * Builds a request's context from its API key: the key names the workspace,
 * the role and, for a team-limited key, the team. Loaders are created per
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
  return async (initial) => {
    const { request } = initial;
    const auth = await authenticator.authenticate(request.headers.get('authorization'), clientAddress(request, initial, config.RATE_LIMIT_TRUST_PROXY));
    const workspace = await workspaces.get(auth.workspaceId);
    const plugins = await registry();
    const kpiRegistry = await workspaceKpis.get(workspace.id, plugins);
    const engine = createKpiLoader({
      db,
      workspaceId: workspace.id,
      timeZone: workspace.timeZone,
      registry: kpiRegistry,
      ...(scale.resultCache ? { cache: scale.resultCache } : {}),
      ...(scale.replicas ? { replicas: scale.replicas } : {}),
      options: { maxRangeDays: config.KPI_MAX_RANGE_DAYS, maxBuckets: config.KPI_MAX_BUCKETS, defaultTimeoutMs: config.KPI_TIMEOUT_MS, rollups: config.ROLLUPS, ...(scale.kpiObserver ? { observer: scale.kpiObserver } : {}) },
    });
    const prisma = scopedPrisma(db.prisma, { workspaceId: workspace.id, teamId: auth.teamId });
    const kpi = auth.teamId === null ? engine : teamLimitedLoader(engine, kpiRegistry, auth);
    return {
      db,
      config,
      workspace,
      auth,
      prisma,
      registry: kpiRegistry,
      plugins,
      now: new Date(),
      kpi,
      goals: new GoalService({ kpi, registry: kpiRegistry, prisma, timeZone: workspace.timeZone, atRiskMargin: config.GOAL_AT_RISK_MARGIN }),
      invalidateWorkspace: () => workspaces.forget(workspace.id),
      invalidateKpis: () => workspaceKpis.forget(workspace.id),
      forgetKey: (keyId) => authenticator.forget(keyId),
    };
  };
}

/**
 * A team-limited key sees KPI values of its team only: every cell gets the
 * team filter (intersected with any team filter asked for), and a KPI that
 * cannot be cut by team is refused rather than shown company-wide.
 */
function teamLimitedLoader(engine: KpiLoader, registry: KpiRegistry, auth: KeyIdentity): KpiLoader {
  const team = String(auth.teamId);
  return new DataLoader<KpiCellKey, CellValues, string>(
    async (keys) => {
      const restricted: (KpiCellKey | Error)[] = keys.map((key) => {
        const definition = registry.get(key.kpiKey);
        if (definition && !definition.dimensions.includes('team')) {
          return new GraphQLError(`This API key is limited to one team, and KPI "${key.kpiKey}" cannot be computed per team.`, { extensions: { code: 'FORBIDDEN' } });
        }
        const asked = key.filter?.team;
        const teams = asked ? asked.filter((id) => id === team) : [team];
        // A filter on other teams only yields nothing rather than an error.
        return { ...key, filter: { ...key.filter, team: teams.length > 0 ? teams : ['-1'] } };
      });
      const valid = restricted.filter((key): key is KpiCellKey => !(key instanceof Error));
      const values = await engine.loadMany(valid);
      let next = 0;
      return restricted.map((key) => (key instanceof Error ? key : values[next++]!));
    },
    { cacheKeyFn: cellCacheKey },
  );
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
    if (!workspace) throw new GraphQLError('The API key’s workspace no longer exists.', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
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
