/**
 * The set of KPI plugins a server runs with. It validates every definition at
 * boot and refuses to start on any problem, listing them all at once.
 */
import type { KpiDefinition } from './define.js';
import { checkDefinition, checkKey } from './definition-checks.js';
import { PluginRegistryError } from './errors.js';
import type { LifecycleStage } from './types.js';

export interface RegisteredKpi {
  definition: KpiDefinition;
  /** Where the plugin came from (a file or package name), for error messages. */
  source: string;
}

export interface KpiRegistry {
  /** The KPI with this key, or undefined. */
  get(key: string): KpiDefinition | undefined;
  /** Where a KPI's plugin came from, for error messages. */
  sourceOf(key: string): string | undefined;
  /** Every KPI, in registration order. */
  list(): readonly KpiDefinition[];
  /** KPIs that serve a lifecycle stage, in registration order. */
  recommended(stage: LifecycleStage): readonly KpiDefinition[];
}

/**
 * Validates all definitions and builds the registry; throws one
 * PluginRegistryError listing every problem (duplicate or non-snake_case
 * keys, unknown dimensions or ones an input's source cannot provide, bad
 * targets, params that are not a zod object, a missing formula or compute,
 * invalid unit, direction or stages).
 */
export function createRegistry(definitions: readonly RegisteredKpi[]): KpiRegistry {
  const problems: string[] = [];
  const byKey = new Map<string, RegisteredKpi>();
  for (const entry of definitions) {
    const definition = entry.definition as KpiDefinition | undefined;
    const key = typeof definition?.key === 'string' && definition.key !== '' ? definition.key : '(no key)';
    const label = `${entry.source} (${key})`;
    if (typeof definition !== 'object' || definition === null) {
      problems.push(`${entry.source}: does not export a KPI definition (default-export defineKpi({...}))`);
      continue;
    }
    for (const problem of [...checkKey(definition.key), ...checkDefinition(definition)]) problems.push(`${label}: ${problem}`);
    const existing = byKey.get(key);
    if (existing) problems.push(`${label}: duplicate key "${key}", already defined by ${existing.source}`);
    else if (key !== '(no key)') byKey.set(key, entry);
  }
  if (problems.length > 0) throw new PluginRegistryError(problems);
  const all = [...byKey.values()].map((entry) => entry.definition);
  return {
    get: (key) => byKey.get(key)?.definition,
    sourceOf: (key) => byKey.get(key)?.source,
    list: () => all,
    recommended: (stage) => all.filter((definition) => definition.stages.includes(stage)),
  };
}
