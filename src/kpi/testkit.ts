/**
 * The test kit for plugin authors: evaluate one KPI definition over a
 * database, exactly as the server would, without a registry of your own.
 */
import type { Database } from '../db/client.js';
import type { KpiCellKey } from './cell.js';
import type { CellValues, KpiDefinition } from './define.js';
import type { KpiEngineOptions } from './engine.js';
import { createKpiLoader } from './engine.js';
import { createRegistry } from './registry.js';

/**
 * Validates `definition` (throws PluginRegistryError listing its problems)
 * and computes one cell of it for a workspace. The cell's `kpiKey` defaults
 * to the definition's key.
 */
export async function evaluateKpi(
  db: Database,
  scope: { workspaceId: number; timeZone: string; options?: KpiEngineOptions },
  definition: KpiDefinition,
  cell: Omit<KpiCellKey, 'kpiKey'> & { kpiKey?: string },
): Promise<CellValues> {
  const registry = createRegistry([{ definition, source: `testkit:${definition.key}` }]);
  const loader = createKpiLoader({ db, workspaceId: scope.workspaceId, timeZone: scope.timeZone, registry, ...(scope.options ? { options: scope.options } : {}) });
  return loader.load({ ...cell, kpiKey: cell.kpiKey ?? definition.key });
}
export { createFixture } from './fixture.js';
export type { FixtureSpec } from './fixture.js';
