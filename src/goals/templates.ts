/**
 * Lifecycle templates: the goals the KPI catalogue recommends for a stage of
 * a business in a market, with the catalogue's default targets scaled to the
 * period. Pure; the GraphQL layer validates, computes baselines and writes.
 */
import type { Decimal } from 'decimal.js';
import type { KpiDefinition } from '../kpi/define.js';
import type { KpiRegistry } from '../kpi/registry.js';
import { targetFor } from '../kpi/targets.js';
import type { Dimension, DimensionFilter, LifecycleStage, TimeRange } from '../kpi/types.js';

export interface GoalDraft {
  definition: KpiDefinition;
  target: Decimal;
  description: string;
  rationale: string;
}

export interface SkippedKpi {
  kpiKey: string;
  reason: string;
}

const percent = (value: Decimal): string => `${value.mul(100).toDecimalPlaces(2).toFixed()} %`;

function describe(definition: KpiDefinition, target: Decimal, scopeText: string): string {
  const shown = definition.unit === 'percent' ? percent(target) : target.toDecimalPlaces(2).toFixed();
  return `${definition.name} ${definition.direction === 'lower' ? '≤' : '≥'} ${shown}${scopeText}`;
}

/** "region DE, channel referral" for a scope; empty for none. */
export function scopeText(scope: DimensionFilter): string {
  const parts = (Object.entries(scope) as [Dimension, readonly string[] | undefined][])
    .filter(([, values]) => values && values.length > 0)
    .map(([dimension, values]) => `${dimension} ${values!.join('/')}`);
  return parts.join(', ');
}

/**
 * The goals of a stage's template: every KPI recommended for the stage that
 * has a default target (the stage's own when it has one), scaled to the
 * period by `targetFor` (100 valid leads a month is 300 a quarter). KPIs that
 * cannot be filtered by every dimension of the scope are skipped with a
 * reason rather than tracked company-wide.
 */
export function templateGoals(
  registry: KpiRegistry,
  stage: LifecycleStage,
  period: TimeRange,
  scope: DimensionFilter,
  timeZone: string,
): { drafts: GoalDraft[]; skipped: SkippedKpi[] } {
  const drafts: GoalDraft[] = [];
  const skipped: SkippedKpi[] = [];
  const dimensions = (Object.keys(scope) as Dimension[]).filter((d) => (scope[d]?.length ?? 0) > 0);
  const where = scopeText(scope);
  for (const definition of registry.recommended(stage)) {
    const target = targetFor(definition, period, stage, timeZone);
    if (target === null) continue;
    const missing = dimensions.filter((d) => !definition.dimensions.includes(d));
    if (missing.length > 0) {
      skipped.push({ kpiKey: definition.key, reason: `cannot be filtered by ${missing.join(', ')}; it offers ${definition.dimensions.join(', ') || 'no dimensions'}.` });
      continue;
    }
    drafts.push({
      definition,
      target,
      description: describe(definition, target, where ? ` for ${where}` : ''),
      rationale: `The KPI catalogue's default target for a business in the ${stage} stage.`,
    });
  }
  return { drafts, skipped };
}
