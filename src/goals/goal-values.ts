/**
 * Loading the KPI values goals need (actuals, baselines, series) through the
 * request's KPI query service, so that a list of goals costs a handful of
 * statements (the service asks goals that differ only in one single-valued
 * scope dimension as one breakdown by it), and a KPI's failure for one goal
 * is that goal's null value with a reason.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { Goal } from '../generated/prisma/client.js';
import type { KpiDefinition } from '../kpi/define.js';
import { KpiInputError, KpiPluginError } from '../kpi/errors.js';
import type { KpiQueryService } from '../kpi/query-service.js';
import type { Dimension, DimensionFilter, KpiResult, TimeRange } from '../kpi/types.js';
import { allDimensions } from '../kpi/types.js';

const scopeSchema = z.record(z.string(), z.array(z.string()));
const paramsSchema = z.record(z.string(), z.unknown());

/** A goal's stored scope as an engine filter (known dimensions only). */
export function goalScope(goal: Pick<Goal, 'scope'>): DimensionFilter {
  const parsed = scopeSchema.safeParse(goal.scope);
  const filter: DimensionFilter = {};
  if (!parsed.success) return filter;
  for (const [dimension, values] of Object.entries(parsed.data)) {
    if (allDimensions.includes(dimension as Dimension) && values.length > 0) filter[dimension as Dimension] = values;
  }
  return filter;
}

/** A goal's stored params as an object. */
export function goalParams(goal: Pick<Goal, 'params'>): Record<string, unknown> {
  const parsed = paramsSchema.safeParse(goal.params);
  return parsed.success ? parsed.data : {};
}

/** Prisma's decimal as decimal.js (a different class with the same digits). */
export const toDecimal = (value: { toFixed(): string }): Decimal => new Decimal(value.toFixed());
export const toOptionalDecimal = (value: { toFixed(): string } | null): Decimal | null => (value === null ? null : toDecimal(value));

/** Turns a KPI's own failure into a null value with a reason; anything else is unexpected and thrown. */
function failed(error: unknown): KpiResult {
  if (error instanceof KpiInputError) return { value: null, reason: { code: 'NOT_APPLICABLE', message: `${error.field}: ${error.message}` } };
  if (error instanceof KpiPluginError) return { value: null, reason: { code: error.code, message: error.message } };
  throw error;
}

/** What goals need of KPIs: the request's KPI query service. */
export type GoalKpiSource = Pick<KpiQueryService, 'result' | 'groups' | 'records'>;

/**
 * The KPI over a period within a goal's scope. A KPI that fails for this
 * goal (a plugin error, a scope its plugin no longer accepts) gives a null
 * value with the reason, so one goal never fails a list.
 */
export async function loadGoalValue(
  kpi: GoalKpiSource,
  definition: KpiDefinition,
  period: TimeRange,
  scope: DimensionFilter,
  params: Record<string, unknown>,
): Promise<KpiResult> {
  try {
    return await kpi.result({ definition, period, filter: scope, params });
  } catch (error) {
    return failed(error);
  }
}

/**
 * The KPI over a period within a goal's scope, split by `by`: each group's
 * value (groups without a value left out). A KPI that fails for this goal
 * gives no groups.
 */
export async function loadGoalBreakdown(
  kpi: GoalKpiSource,
  definition: KpiDefinition,
  period: TimeRange,
  scope: DimensionFilter,
  params: Record<string, unknown>,
  by: Dimension,
): Promise<Map<string, Decimal>> {
  const groups = new Map<string, Decimal>();
  try {
    const values = await kpi.groups({ definition, period, filter: scope, params, by });
    for (const [key, result] of values) if (key !== '*' && result.value !== null) groups.set(key, result.value);
  } catch (error) {
    failed(error);
  }
  return groups;
}
