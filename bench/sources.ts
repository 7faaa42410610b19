/**
 * What the dashboard's KPIs read: the distinct measure sources (tables) and
 * the distinct measure groups (source × time field or snapshot span), the
 * two yardsticks of "statements per request".
 */
import type { Measure } from '../src/kpi/measures.js';
import type { KpiRegistry } from '../src/kpi/registry.js';

export interface SourceCount {
  sources: string[];
  measureGroups: string[];
}

const timing = (measure: Measure): string =>
  measure.kind === 'snapshotCount' || measure.kind === 'snapshotSum' ? `snapshot ${measure.from}..${measure.until}` : `by ${measure.time}`;

export function countSources(registry: KpiRegistry, keys: readonly string[]): SourceCount {
  const sources = new Set<string>();
  const groups = new Set<string>();
  for (const key of keys) {
    const definition = registry.get(key);
    if (!definition) throw new Error(`unknown KPI ${key}`);
    if (definition.kind !== 'inputs') {
      sources.add(`compute:${key}`);
      groups.add(`compute:${key}`);
      continue;
    }
    for (const measure of Object.values(definition.inputs as Record<string, Measure>)) {
      sources.add(measure.source);
      groups.add(`${measure.source} ${timing(measure)}`);
    }
  }
  return { sources: [...sources].sort(), measureGroups: [...groups].sort() };
}
