/**
 * Loading the KPI values goals need (actuals, baselines, series) through the
 * request's KPI loader, so that a list of goals costs a handful of
 * statements: the engine merges cells by source, time field, filter and
 * group-by, so goals that differ only in one single-valued scope dimension
 * (region DE, region FR…) are asked as one breakdown by that dimension and
 * each picks its group.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { Goal } from '../generated/prisma/client.js';
import type { KpiCellKey } from '../kpi/cell.js';
import type { CellValues, KpiDefinition } from '../kpi/define.js';
import { absentGroupResult } from '../kpi/engine.js';
import { KpiInputError, KpiPluginError } from '../kpi/errors.js';
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

/**
 * The cell to ask for: for an inputs KPI, the first single-valued scope
 * dimension becomes a group-by (the rest stays a filter) and `pick` names the
 * group; inputs KPIs compute a group exactly as the same filter would.
 * Compute plugins may treat groups differently, so they get the filter.
 */
function plannedCell(definition: KpiDefinition, period: TimeRange, scope: DimensionFilter, params: Record<string, unknown>): { key: KpiCellKey; pick: string } {
  const filtered: KpiCellKey = { kpiKey: definition.key, period, filter: scope, params, groupBy: null };
  if (definition.kind !== 'inputs') return { key: filtered, pick: '*' };
  const dimension = (Object.keys(scope) as Dimension[]).sort().find((d) => scope[d]?.length === 1);
  if (!dimension) return { key: filtered, pick: '*' };
  const { [dimension]: picked, ...rest } = scope;
  return { key: { ...filtered, filter: rest, groupBy: dimension }, pick: picked![0]! };
}

/** Turns a KPI's own failure into a null value with a reason; anything else is unexpected and thrown. */
function failed(error: unknown): KpiResult {
  if (error instanceof KpiInputError) return { value: null, reason: { code: 'NOT_APPLICABLE', message: `${error.field}: ${error.message}` } };
  if (error instanceof KpiPluginError) return { value: null, reason: { code: error.code, message: error.message } };
  throw error;
}

/**
 * The KPI over a period within a goal's scope. A KPI that fails for this
 * goal (a plugin error, a scope its plugin no longer accepts) gives a null
 * value with the reason, so one goal never fails a list.
 */
/** What goals need of the KPI engine: cells by key, batched by the caller's loader. */
export interface GoalKpiSource {
  load(key: KpiCellKey): Promise<CellValues>;
}

export async function loadGoalValue(
  kpi: GoalKpiSource,
  definition: KpiDefinition,
  period: TimeRange,
  scope: DimensionFilter,
  params: Record<string, unknown>,
): Promise<KpiResult> {
  const { key, pick } = plannedCell(definition, period, scope, params);
  try {
    const values = await kpi.load(key);
    const result = values.get(pick);
    if (result) return result;
    // No rows in that group at all: what the filter gives then (0 for a
    // count, a zero-denominator null for a rate) only the formula knows,
    // which the engine worked out with the batch; else ask the filtered cell.
    if (key.groupBy) return absentGroupResult(values) ?? (await kpi.load({ ...key, filter: scope, groupBy: null })).get('*') ?? noData;
    return noData;
  } catch (error) {
    return failed(error);
  }
}

const noData: KpiResult = { value: null, reason: { code: 'NO_DATA', message: 'No records in this scope and period.' } };

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
    const values = await kpi.load({ kpiKey: definition.key, period, filter: scope, params, groupBy: by });
    for (const [key, result] of values) if (key !== '*' && result.value !== null) groups.set(key, result.value);
  } catch (error) {
    failed(error);
  }
  return groups;
}
