/**
 * The set of KPI plugins a server runs with. It validates every definition at
 * boot and refuses to start on any problem, listing them all at once.
 */
import type { KpiDefinition, KpiPlugin } from './define.js';
import { checkDefinition, checkKey } from './definition-checks.js';
import type { DerivedKpiDefinition } from './derived.js';
import { resolveDerived } from './derived.js';
import { PluginRegistryError } from './errors.js';
import type { LifecycleStage } from './types.js';

export interface RegisteredKpi {
  definition: KpiPlugin;
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

type InputsDefinition = KpiDefinition & { kind: 'inputs' };

/**
 * Validates all definitions and builds the registry; throws one
 * PluginRegistryError listing every problem (duplicate or non-snake_case
 * keys, unknown dimensions or ones an input's source cannot provide, bad
 * targets, params that are not a zod object, a missing formula or compute,
 * invalid unit, direction or stages, derived KPIs over unknown, compute or
 * circular components). Derived KPIs may name KPIs of `base` as components:
 * the registry then extends `base` (a workspace's KPIs over the plugins).
 */
export function createRegistry(definitions: readonly RegisteredKpi[], base?: KpiRegistry): KpiRegistry {
  const problems: string[] = [];
  const byKey = new Map<string, RegisteredKpi>();
  const labelOf = (entry: RegisteredKpi): string => `${entry.source} (${entry.definition.key})`;
  for (const entry of definitions) {
    const definition = entry.definition as KpiPlugin | undefined;
    const key = typeof definition?.key === 'string' && definition.key !== '' ? definition.key : '(no key)';
    const label = `${entry.source} (${key})`;
    if (typeof definition !== 'object' || definition === null) {
      problems.push(`${entry.source}: does not export a KPI definition (default-export defineKpi({...}))`);
      continue;
    }
    for (const problem of [...checkKey(definition.key), ...checkDefinition(definition)]) problems.push(`${label}: ${problem}`);
    const existing = byKey.get(key);
    const baseSource = base?.get(key) ? base.sourceOf(key) : undefined;
    if (existing || baseSource) problems.push(`${label}: duplicate key "${key}", already defined by ${existing?.source ?? baseSource}`);
    else if (key !== '(no key)') byKey.set(key, entry);
  }
  if (problems.length > 0) throw new PluginRegistryError(problems);

  const resolved = new Map<string, KpiDefinition>();
  const resolving = new Set<string>();
  const resolve = (key: string): KpiDefinition | undefined => {
    const done = resolved.get(key);
    if (done) return done;
    const entry = byKey.get(key);
    if (!entry) return base?.get(key);
    if (entry.definition.kind !== 'derived') {
      resolved.set(key, entry.definition);
      return entry.definition;
    }
    if (resolving.has(key)) return undefined;
    resolving.add(key);
    const definition = resolveComponents(entry.definition, labelOf(entry), { resolve, known: (k) => byKey.has(k) || base?.get(k) !== undefined, resolving }, problems);
    resolving.delete(key);
    if (definition) resolved.set(key, definition);
    return definition;
  };
  for (const key of byKey.keys()) resolve(key);
  if (problems.length > 0) throw new PluginRegistryError(problems);

  const all = [...(base?.list() ?? []), ...[...byKey.keys()].map((key) => resolved.get(key)!)];
  return {
    get: (key) => resolved.get(key) ?? base?.get(key),
    sourceOf: (key) => byKey.get(key)?.source ?? base?.sourceOf(key),
    list: () => all,
    recommended: (stage) => all.filter((definition) => definition.stages.includes(stage)),
  };
}

function resolveComponents(
  definition: DerivedKpiDefinition,
  label: string,
  lookup: { resolve: (key: string) => KpiDefinition | undefined; known: (key: string) => boolean; resolving: ReadonlySet<string> },
  problems: string[],
): InputsDefinition | undefined {
  const { resolve, known, resolving } = lookup;
  const components: Record<string, InputsDefinition> = {};
  let ok = true;
  for (const [name, key] of Object.entries(definition.derived)) {
    if (resolving.has(key)) {
      problems.push(`${label}: component "${name}" (${key}) is derived from this KPI itself: derived KPIs cannot form a cycle`);
      ok = false;
      continue;
    }
    const component = resolve(key);
    if (!component) {
      // A known component that did not resolve has had its own problem reported.
      if (!known(key)) problems.push(`${label}: component "${name}" names "${key}", which is not a registered KPI`);
      ok = false;
    } else if (component.kind !== 'inputs') {
      problems.push(`${label}: component "${name}" (${key}) computes with its own query (compute) and cannot be part of a derived KPI`);
      ok = false;
    } else {
      for (const dimension of definition.dimensions) {
        if (!component.dimensions.includes(dimension)) {
          problems.push(`${label}: dimension "${dimension}" is not offered by component "${name}" (${key} offers ${component.dimensions.join(', ') || 'none'})`);
          ok = false;
        }
      }
      components[name] = component;
    }
  }
  return ok ? resolveDerived(definition, components) : undefined;
}
