import type { Decimal } from 'decimal.js';
import { GraphQLError } from 'graphql';
import type { KpiCellKey } from '../kpi/cell.js';
import type { CellValues, KpiDefinition } from '../kpi/define.js';
import { KpiInputError, KpiPluginError } from '../kpi/errors.js';

import type { TargetStatus } from '../kpi/targets.js';
import { attainment, statusAgainstTarget, targetFor } from '../kpi/targets.js';
import type { KpiResult, LifecycleStage, TimeRange } from '../kpi/types.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { badUserInput } from './errors.js';
import { UnitEnum } from './kpi-enums.js';

/** A computed value with everything needed to show and explain it. */
export interface KpiValueShape {
  definition: KpiDefinition;
  period: TimeRange;
  result: KpiResult;
  target: Decimal | null;
  /** The target as a float, worked out with the target (a dashboard shows one target in every group). */
  targetFloat: number | null;
  previous?: { period: TimeRange; result: KpiResult };
}

/** Loads cells through the request's loader, turning engine errors into GraphQL errors. */
export async function loadCells(ctx: GraphQLContext, keys: KpiCellKey[]): Promise<CellValues[]> {
  const values = await ctx.kpi.loadMany(keys);
  return values.map((value) => {
    if (value instanceof KpiInputError) throw badUserInput({ field: value.field, message: value.message });
    if (value instanceof KpiPluginError) {
      throw new GraphQLError(value.message, { extensions: { code: value.code === 'TIMEOUT' ? 'KPI_TIMEOUT' : 'KPI_PLUGIN_ERROR', kpi: value.kpiKey } });
    }
    if (value instanceof Error) throw value;
    return value;
  });
}

export function valueShape(
  ctx: GraphQLContext,
  definition: KpiDefinition,
  period: TimeRange,
  result: KpiResult | undefined,
  stage?: LifecycleStage,
): KpiValueShape {
  return shapeWithTarget(definition, period, result, defaultTarget(ctx, definition, period, stage));
}

const noData: KpiResult = Object.freeze({ value: null, reason: Object.freeze({ code: 'NO_DATA', message: 'No records in this group and period.' }) });

/** A value's shape with a target already worked out: a breakdown's groups share one. */
export function shapeWithTarget(definition: KpiDefinition, period: TimeRange, result: KpiResult | undefined, target: KpiTarget): KpiValueShape {
  return { definition, period, result: result ?? noData, target: target.decimal, targetFloat: target.float };
}

/** A target, and the float a client reads. */
interface KpiTarget {
  decimal: Decimal | null;
  float: number | null;
}

/**
 * A KPI's default target depends only on the plugin, the period, the stage
 * and the zone, and a dashboard asks for the same ones on every refresh (and
 * for every group): they are kept per plugin, a bounded number of them, so
 * the time-zone arithmetic is done once.
 */
const targetCache = new WeakMap<KpiDefinition, Map<string, KpiTarget>>();
const targetsPerKpi = 10_000;
export function defaultTarget(ctx: GraphQLContext, definition: KpiDefinition, period: TimeRange, stage?: LifecycleStage): KpiTarget {
  let targets = targetCache.get(definition);
  if (!targets) targetCache.set(definition, (targets = new Map()));
  const key = `${period.start.getTime()}|${period.end.getTime()}|${stage ?? ''}|${ctx.workspace.timeZone}`;
  let target = targets.get(key);
  if (!target) {
    if (targets.size >= targetsPerKpi) targets.clear();
    const decimal = targetFor(definition, period, stage, ctx.workspace.timeZone);
    targets.set(key, (target = { decimal, float: toFloat(decimal) }));
  }
  return target;
}

const toFloat = (value: Decimal | null | undefined): number | null => (value ? value.toNumber() : null);

const PeriodRef = builder.objectRef<TimeRange>('Period').implement({
  description: 'A half-open range of instants [start, end).',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', resolve: (period) => period.start }),
    end: t.field({ type: 'DateTime', resolve: (period) => period.end, description: 'Exclusive.' }),
  }),
});

const NullReasonRef = builder.objectRef<NonNullable<KpiResult['reason']>>('NullReason').implement({
  description: 'Why a value is missing.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'ZERO_DENOMINATOR, NO_DATA, NOT_APPLICABLE, PLUGIN_ERROR or TIMEOUT.' }),
    message: t.exposeString('message'),
  }),
});

const TargetStatusEnum = builder.enumType('TargetStatus', {
  values: ['ON_TARGET', 'OFF_TARGET', 'NO_TARGET', 'NO_VALUE'] as const satisfies readonly TargetStatus[],
});

const ComparisonRef = builder.objectRef<{ current: KpiResult; period: TimeRange; result: KpiResult }>('KpiComparison').implement({
  description: 'The same KPI over the comparison period, and the change to the current value.',
  fields: (t) => ({
    period: t.field({ type: PeriodRef, resolve: (c) => c.period }),
    value: t.float({ nullable: true, resolve: (c) => toFloat(c.result.value) }),
    exact: t.string({ nullable: true, resolve: (c) => c.result.value?.toFixed() ?? null }),
    change: t.float({
      nullable: true,
      description: 'Current minus previous, in the KPI’s unit.',
      resolve: (c) => (c.current.value && c.result.value ? c.current.value.minus(c.result.value).toNumber() : null),
    }),
    relativeChange: t.float({
      nullable: true,
      description: '(current − previous) ÷ |previous|; null when previous is zero.',
      resolve: (c) =>
        c.current.value && c.result.value && !c.result.value.isZero()
          ? c.current.value.minus(c.result.value).div(c.result.value.abs()).toNumber()
          : null,
    }),
    reason: t.field({ type: NullReasonRef, nullable: true, resolve: (c) => c.result.reason ?? null }),
  }),
});

const KpiComponentRef = builder.objectRef<NonNullable<KpiResult['components']>[number]>('KpiComponentValue').implement({
  description: 'One KPI a derived KPI is computed from, and its value over the same period and group.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name the derived KPI’s formula gives this component.' }),
    kpiKey: t.exposeString('kpiKey', { description: 'The component’s KPI key.' }),
    value: t.float({ nullable: true, resolve: (c) => toFloat(c.result.value) }),
    exact: t.string({ nullable: true, description: 'The exact decimal value.', resolve: (c) => c.result.value?.toFixed() ?? null }),
    reason: t.field({ type: NullReasonRef, nullable: true, description: 'Why value is null.', resolve: (c) => c.result.reason ?? null }),
  }),
});

export const KpiValueRef = builder.objectRef<KpiValueShape>('KpiValue').implement({
  description: 'A KPI over a period: the value, its target, and the measures behind it.',
  fields: (t) => ({
    kpiKey: t.string({ resolve: (v) => v.definition.key }),
    unit: t.field({ type: UnitEnum, resolve: (v) => v.definition.unit }),
    period: t.field({ type: PeriodRef, resolve: (v) => v.period }),
    value: t.float({ nullable: true, description: 'Rates as fractions (0.2 is 20 %); NPS −100…100.', resolve: (v) => toFloat(v.result.value) }),
    exact: t.string({ nullable: true, description: 'The exact decimal value, e.g. for money.', resolve: (v) => v.result.value?.toFixed() ?? null }),
    reason: t.field({ type: NullReasonRef, nullable: true, description: 'Why value is null.', resolve: (v) => v.result.reason ?? null }),
    target: t.float({ nullable: true, resolve: (v) => v.targetFloat }),
    attainment: t.float({
      nullable: true,
      description: 'Value against target, 1 = on target, above 1 = better (respects whether lower is better).',
      resolve: (v) => toFloat(attainment(v.result.value, v.target, v.definition.direction)),
    }),
    status: t.field({ type: TargetStatusEnum, resolve: (v) => statusAgainstTarget(v.result.value, v.target, v.definition.direction) }),
    numerator: t.string({ nullable: true, resolve: (v) => v.result.numerator?.toFixed() ?? null }),
    denominator: t.string({ nullable: true, resolve: (v) => v.result.denominator?.toFixed() ?? null }),
    sampleSize: t.int({ nullable: true, description: 'How many records the value stands on.', resolve: (v) => v.result.sampleSize ?? null }),
    components: t.field({
      type: [KpiComponentRef],
      nullable: true,
      description: 'For a KPI derived from other KPIs (by a plugin or a workspace formula): the value of each component; null for any other KPI.',
      resolve: (v) => (v.result.components ? [...v.result.components] : null),
    }),
    previous: t.field({
      type: ComparisonRef,
      nullable: true,
      description: 'Present when compareTo was given.',
      resolve: (v) => (v.previous ? { current: v.result, ...v.previous } : null),
    }),
  }),
});

export { NullReasonRef, PeriodRef };
