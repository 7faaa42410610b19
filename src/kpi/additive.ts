import type { KpiDefinition } from './define.js';

/** Whether a KPI's values add up, across consecutive periods and across groups: counts and sums do, rates and levels do not. */
export function isAdditive(definition: Pick<KpiDefinition, 'unit' | 'additive'>): boolean {
  return definition.additive ?? (definition.unit === 'count' || definition.unit === 'money');
}
