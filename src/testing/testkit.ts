/**
 * The test kit for plugin authors: evaluate one KPI definition over a
 * database, exactly as the server would, without a registry of your own.
 */
import type { Database } from '../db/client.js';
import type { KpiCellKey } from '../kpi/cell.js';
import type { CellValues, KpiPlugin } from '../kpi/define.js';
import type { KpiEngineOptions } from '../kpi/engine.js';
import { createKpiLoader } from '../kpi/engine.js';
import { createRegistry } from '../kpi/registry.js';

/**
 * Validates `definition` (throws PluginRegistryError listing its problems)
 * and computes one cell of it for a workspace. The cell's `kpiKey` defaults
 * to the definition's key. A derived KPI needs its components registered
 * beside it: pass them (or every built-in plugin) as `scope.components`.
 */
export async function evaluateKpi(
  db: Database,
  scope: { workspaceId: number; timeZone: string; options?: KpiEngineOptions; components?: readonly KpiPlugin[] },
  definition: KpiPlugin,
  cell: Omit<KpiCellKey, 'kpiKey'> & { kpiKey?: string },
): Promise<CellValues> {
  const components = (scope.components ?? []).filter((component) => component.key !== definition.key);
  const registry = createRegistry([definition, ...components].map((entry) => ({ definition: entry, source: `testkit:${entry.key}` })));
  const loader = createKpiLoader({ db, workspaceId: scope.workspaceId, timeZone: scope.timeZone, registry, ...(scope.options ? { options: scope.options } : {}) });
  return loader.load({ ...cell, kpiKey: cell.kpiKey ?? definition.key });
}
export { createFixture } from './fixture.js';
export type { FixtureSpec } from './fixture.js';
