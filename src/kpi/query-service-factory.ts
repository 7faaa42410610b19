/**
 * Builds a request's KPI query service: a fresh engine loader and member
 * view over the process's shared directory, so nothing one request caches
 * is seen by another (but for the short-lived member lists).
 */
import type { RequestDataVersion } from '../db/data-version.js';
import type { KpiLoader, KpiLoaderConfig } from './engine.js';
import { createKpiLoader } from './engine.js';
import { explainCells } from './explain.js';
import { GroupDirectory } from './group-directory.js';
import { GroupMembers } from './group-members.js';
import { KpiQueryService } from './query-service.js';
import { RfmLoader } from './rfm-loader.js';
import { RecordDrill } from './drill-through.js';

export interface KpiQueryServiceConfig extends KpiLoaderConfig {
  /** The process's member lists; a new one (read afresh) when not given. */
  directory?: GroupDirectory;
  /** The team a team-limited key sees. */
  teamScope?: number | null;
  /** An engine loader of the same workspace to answer through (else a new one). */
  engine?: KpiLoader;
  /** The request's data version reads (pinned by a read-only request): cells and member lists key on it. */
  dataVersion?: RequestDataVersion;
}

export function createKpiQueryService(config: KpiQueryServiceConfig): KpiQueryService {
  const { directory = new GroupDirectory(config.db), teamScope = null, engine, dataVersion, ...rest } = config;
  const loader: KpiLoaderConfig = dataVersion ? { ...rest, readVersion: () => dataVersion.read() } : rest;
  const options = loader.options ?? {};
  return new KpiQueryService({
    engine: engine ?? createKpiLoader(loader),
    registry: config.registry,
    timeZone: config.timeZone,
    members: new GroupMembers(directory, config.workspaceId, () => dataVersion?.pinnedVersion),
    teamScope,
    rfm: new RfmLoader(config.db, config.workspaceId),
    drill: new RecordDrill(config.db, config.workspaceId),
    explain: (keys) => explainCells(loader, keys),
    limits: { ...(options.maxRangeDays ? { maxRangeDays: options.maxRangeDays } : {}), ...(options.maxBuckets ? { maxBuckets: options.maxBuckets } : {}) },
  });
}
