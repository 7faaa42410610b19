import { z } from 'zod';
import type { KpiDefinition } from '../kpi/define.js';
import { isAdditive } from '../goals/progress.js';
import { absentGroupResult } from '../kpi/engine.js';
import { combineGroups, topGroups } from '../kpi/top-groups.js';
import { comparisonPeriod } from '../kpi/periods.js';
import type { Comparison, PointPeriods } from '../kpi/series-points.js';
import { seriesPointPeriods } from '../kpi/series-points.js';
import type { ShareOfTotal } from '../kpi/share-of-total.js';
import { shareOfTotal } from '../kpi/share-of-total.js';
import { checkWindowReach } from '../kpi/windows.js';
import { splitGroupKey } from '../kpi/grouping.js';
import type { GroupPart } from './kpi-algebra.js';
import type { Dimension, KpiResult, LifecycleStage, TimeRange } from '../kpi/types.js';
import { workspaceKpiInfo } from '../kpi/workspace-kpis.js';
import { builder } from './builder.js';
import { SortDirectionEnum } from './enums.js';
import type { GraphQLContext } from './context.js';
import { badUserInput, notFound } from './errors.js';
import { KpiGroupPartRef, KpiShareRef, SeriesWindowInputRef, compareToPeriodDescription, comparisonFromArgs, windowFromArg } from './kpi-algebra.js';
import { groupLabels } from './kpi-groups.js';
import type { FilterArg, PeriodArg } from './kpi-inputs.js';
import {
  ComparisonEnum,
  DimensionEnum,
  GrainEnum,
  KpiFilterInputRef,
  LifecycleStageEnum,
  PeriodInputRef,
  asUserInput,
  bucketsFor,
  filterFromArg,
  periodFromArg,
} from './kpi-inputs.js';
import type { KpiValueShape } from './kpi-value.js';
import { KpiValueRef, loadCells, defaultTarget, shapeWithTarget, valueShape } from './kpi-value.js';

export const UnitEnum = builder.enumType('KpiUnit', { values: ['count', 'money', 'percent', 'ratio', 'days', 'hours', 'score'] as const });
export const DirectionEnum = builder.enumType('KpiDirection', {
  description: 'Which way is better; none for KPIs that only describe.',
  values: ['higher', 'lower', 'none'] as const,
});

/** A group of a breakdown: its key, a readable label, and the value. */
interface GroupShape {
  dimension: Dimension;
  key: string | null;
  label: string;
  value: KpiValueShape;
  share: ShareOfTotal;
  /** The second dimension's part of the key, for a breakdown with `thenBy`. */
  second: GroupPart | null;
}

const KpiGroupValueRef = builder.objectRef<GroupShape>('KpiGroupValue').implement({
  fields: (t) => ({
    dimension: t.field({ type: DimensionEnum, resolve: (g) => g.dimension }),
    key: t.string({ nullable: true, description: 'The dimension’s value (a global ID for team, owner, campaign); null for records without one.', resolve: (g) => g.key }),
    label: t.exposeString('label'),
    second: t.field({
      type: KpiGroupPartRef,
      nullable: true,
      description: 'For a breakdown with `thenBy`: the second dimension’s value of this group (dimension, key and label above are the first’s); null otherwise and for "other".',
      resolve: (g) => g.second,
    }),
    value: t.field({ type: KpiValueRef, resolve: (g) => g.value }),
    shareOfTotal: t.field({
      type: KpiShareRef,
      description:
        'The group’s value over the sum of all groups’ values (those folded into "other" included); for counts and money only: a rate’s, mean’s or percentile’s groups do not add up to a total, so theirs is null with a reason.',
      resolve: (g) => g.share(g.value.result),
    }),
  }),
});

interface PointShape {
  definition: KpiDefinition;
  bucket: TimeRange;
  filterArg: FilterArg | null | undefined;
  params: Record<string, unknown>;
  by: Dimension | null;
  periods: PointPeriods;
}

const KpiPointRef = builder.objectRef<PointShape>('KpiPoint').implement({
  description: 'One bucket of a series.',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', resolve: (p) => p.bucket.start }),
    end: t.field({ type: 'DateTime', resolve: (p) => p.bucket.end }),
    value: t.field({
      type: KpiValueRef,
      description: 'The KPI over the bucket, or over its window when the series has one (the value’s period says which).',
      resolve: (p, _args, ctx) => resolveValue(ctx, p.definition, p.periods.period, p.filterArg, p.params, p.periods.previous),
    }),
    breakdown: t.field({
      type: [KpiGroupValueRef],
      description: 'One value per group when the series was asked with `by`; empty otherwise.',
      resolve: (p, _args, ctx) => (p.by ? resolveBreakdown(ctx, p.definition, p.periods.period, p.by, p.filterArg, p.params, p.periods.previous) : []),
    }),
  }),
});

async function resolveValue(
  ctx: GraphQLContext,
  definition: KpiDefinition,
  period: TimeRange,
  filterArg: FilterArg | null | undefined,
  params: Record<string, unknown>,
  previousPeriod: TimeRange | null,
  stage?: LifecycleStage,
): Promise<KpiValueShape> {
  const filter = filterFromArg(filterArg);
  const base = { kpiKey: definition.key, filter, params, groupBy: null };
  const keys = [{ ...base, period }, ...(previousPeriod ? [{ ...base, period: previousPeriod }] : [])];
  const [current, previous] = await loadCells(ctx, keys);
  const shape = valueShape(ctx, definition, period, current?.get('*'), stage);
  if (previousPeriod && previous) {
    shape.previous = { period: previousPeriod, result: valueShape(ctx, definition, previousPeriod, previous.get('*')).result };
  }
  return shape;
}

async function resolveBreakdown(
  ctx: GraphQLContext,
  definition: KpiDefinition,
  period: TimeRange,
  by: Dimension,
  filterArg: FilterArg | null | undefined,
  params: Record<string, unknown>,
  previousPeriod: TimeRange | null,
  shaping: { order: 'ASC' | 'DESC' | null; first: number | null } = { order: null, first: null },
  thenBy: Dimension | null = null,
): Promise<GroupShape[]> {
  const base = { kpiKey: definition.key, filter: filterFromArg(filterArg), params, groupBy: by, ...(thenBy ? { thenBy } : {}) };
  // Both periods in one tick: the loader batches them into the same statements.
  const [groups, previousGroups] = await loadCells(ctx, [{ ...base, period }, ...(previousPeriod ? [{ ...base, period: previousPeriod }] : [])]);
  const additive = isAdditive(definition);
  const entries = [...(groups ?? new Map<string, KpiResult>()).entries()];
  const share = shareOfTotal(entries.map(([, result]) => result), additive);
  const { kept, rest } = topGroups(entries, { ...shaping, additive });
  const parts = new Map(kept.map(([key]) => [key, thenBy ? splitGroupKey(key) : ([key, null] as const)]));
  const [labels, secondLabels] = await Promise.all([
    groupLabels(ctx, by, [...parts.values()].map(([first]) => first)),
    thenBy ? groupLabels(ctx, thenBy, [...parts.values()].map(([, second]) => second!)) : undefined,
  ]);
  const target = defaultTarget(ctx, definition, period);
  // A group without rows in the comparison period has the formula's value over no rows (0 for counts, none for rates).
  const previousOf = (key: string): KpiResult | undefined => (previousGroups ? (previousGroups.get(key) ?? absentGroupResult(previousGroups)) : undefined);
  const shape = (result: KpiResult | undefined, previous: KpiResult | undefined): KpiValueShape => {
    const value = shapeWithTarget(definition, period, result, target);
    if (previousPeriod && previousGroups) value.previous = { period: previousPeriod, result: shapeWithTarget(definition, previousPeriod, previous, target).result };
    return value;
  };
  const shaped: GroupShape[] = kept.map(([key, result]) => {
    const [first, second] = parts.get(key)!;
    const label = labels.get(first) ?? { key: first, label: first };
    const secondLabel = thenBy && second !== null ? { dimension: thenBy, ...(secondLabels?.get(second) ?? { key: second, label: second }) } : null;
    return { dimension: by, key: label.key, label: label.label, second: secondLabel, value: shape(result, previousOf(key)), share };
  });
  if (rest.length > 0) {
    const current = combineGroups(rest.map((key) => groups!.get(key)!), additive);
    const previous = previousGroups ? combineGroups(rest.map((key) => previousOf(key)).filter((r): r is KpiResult => r !== undefined), additive) : undefined;
    shaped.push({ dimension: by, key: otherGroupKey, label: `Other (${rest.length} groups)`, value: shape(current, previous), share, second: null });
  }
  return shaped;
}

/** The period a value or breakdown is compared with, if any. */
function previousOfPeriod(ctx: GraphQLContext, period: TimeRange, comparison: Comparison | null): TimeRange | null {
  if (!comparison) return null;
  if ('period' in comparison) return comparison.period;
  return asUserInput(() => comparisonPeriod(period, comparison.kind, ctx.workspace.timeZone));
}

/** The key of the group that holds the rest of a breakdown cut by `first`. */
const otherGroupKey = '(other)';

const jsonParams = z.record(z.string(), z.unknown());
function paramsArg(params: unknown): Record<string, unknown> {
  if (params == null) return {};
  const parsed = jsonParams.safeParse(params);
  if (!parsed.success) throw badUserInput({ field: 'params', message: 'must be a JSON object of the KPI’s params.' });
  return parsed.data;
}

const BreakdownOrderRef = builder.inputType('KpiBreakdownOrder', {
  description: 'How breakdown groups are ordered.',
  fields: (t) => ({
    value: t.field({ type: SortDirectionEnum, required: true, description: 'By value; groups without a value come last.' }),
  }),
});

export const KpiDefinitionRef = builder.objectRef<KpiDefinition>('KpiDefinition');

builder.objectType(KpiDefinitionRef, {
  description: 'A KPI (a plugin’s, or one defined in the workspace by a formula): what it measures, how, and its default target.',
  fields: (t) => ({
    key: t.exposeString('key'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    unit: t.field({ type: UnitEnum, resolve: (d) => d.unit }),
    direction: t.field({ type: DirectionEnum, resolve: (d) => d.direction }),
    stages: t.field({ type: [LifecycleStageEnum], resolve: (d) => [...d.stages] }),
    dimensions: t.field({ type: [DimensionEnum], resolve: (d) => [...d.dimensions] }),
    defaultTarget: t.float({ nullable: true, description: 'In the KPI’s unit; per `targetPer` when additive.', resolve: (d) => d.target?.default ?? null }),
    targetPer: t.string({ nullable: true, description: 'The grain an additive target is given per, e.g. month.', resolve: (d) => d.target?.per ?? null }),
    stageTargets: t.field({
      type: 'JSON',
      nullable: true,
      description: 'Targets per lifecycle stage, when they differ from the default.',
      resolve: (d) => d.target?.byStage ?? null,
    }),
    formula: t.string({
      nullable: true,
      description: 'For a KPI defined in this workspace (defineKpi): its formula; null for a plugin’s KPI.',
      resolve: (d) => workspaceKpiInfo(d)?.formula ?? null,
    }),
    version: t.int({
      nullable: true,
      description: 'For a KPI defined in this workspace: the version of its definition (updateKpi adds one); null for a plugin’s KPI.',
      resolve: (d) => workspaceKpiInfo(d)?.version ?? null,
    }),
    paramsSchema: t.field({
      type: 'JSON',
      description: 'The JSON Schema of `params`.',
      resolve: (d) => (d.params ? z.toJSONSchema(d.params, { io: 'input', unrepresentable: 'any' }) : { type: 'object', properties: {} }),
    }),
    value: t.field({
      type: KpiValueRef,
      args: {
        period: t.arg({ type: PeriodInputRef, required: true }),
        filter: t.arg({ type: KpiFilterInputRef, required: false }),
        params: t.arg({ type: 'JSON', required: false }),
        compareTo: t.arg({ type: ComparisonEnum, required: false }),
        compareToPeriod: t.arg({ type: PeriodInputRef, required: false, description: compareToPeriodDescription }),
        stage: t.arg({ type: LifecycleStageEnum, required: false, description: 'Use the target for this lifecycle stage.' }),
      },
      resolve: (definition, args, ctx) => {
        const period = periodFromArg(args.period as PeriodArg, ctx);
        const previous = previousOfPeriod(ctx, period, comparisonFromArgs(ctx, { compareTo: args.compareTo, compareToPeriod: args.compareToPeriod as PeriodArg | null }));
        return resolveValue(ctx, definition, period, args.filter, paramsArg(args.params), previous, args.stage ?? undefined);
      },
    }),
    series: t.field({
      type: [KpiPointRef],
      description: 'The KPI per bucket of a grain over a range; with `by`, each point also has a breakdown.',
      args: {
        range: t.arg({ type: PeriodInputRef, required: true }),
        grain: t.arg({ type: GrainEnum, required: true }),
        filter: t.arg({ type: KpiFilterInputRef, required: false }),
        params: t.arg({ type: 'JSON', required: false }),
        by: t.arg({ type: DimensionEnum, required: false }),
        compareTo: t.arg({
          type: ComparisonEnum,
          required: false,
          description: 'Each point’s value and breakdown groups also carry `previous`: the same bucket shifted back, with change and relative change.',
        }),
        compareToPeriod: t.arg({
          type: PeriodInputRef,
          required: false,
          description: 'Compare point by point with this period, cut into the same grain: the i-th point with its i-th bucket (no `previous` past its last bucket). Give compareTo or this, not both.',
        }),
        window: t.arg({ type: SeriesWindowInputRef, required: false, description: 'Each point’s value covers a rolling or cumulative window instead of its bucket, in the same statements.' }),
      },
      resolve: (definition, args, ctx) => {
        const range = periodFromArg(args.range as PeriodArg, ctx, 'range');
        const buckets = bucketsFor(range, args.grain, ctx);
        const params = paramsArg(args.params);
        if (args.by && !definition.dimensions.includes(args.by)) {
          throw badUserInput({ field: 'by', message: `KPI "${definition.key}" cannot be broken down by ${args.by}; it offers ${definition.dimensions.join(', ') || 'no dimensions'}.` });
        }
        const window = windowFromArg(args.window);
        const timeZone = ctx.workspace.timeZone;
        if (window) asUserInput(() => checkWindowReach(range, window, args.grain, timeZone, { maxRangeDays: ctx.config.KPI_MAX_RANGE_DAYS }));
        const comparison = comparisonFromArgs(ctx, { compareTo: args.compareTo, compareToPeriod: args.compareToPeriod as PeriodArg | null });
        const points = asUserInput(() => seriesPointPeriods(buckets, { range, grain: args.grain, timeZone, window, comparison }));
        return points.map((periods) => ({ definition, bucket: periods.bucket, filterArg: args.filter, params, by: args.by ?? null, periods }));
      },
    }),
    breakdown: t.field({
      type: [KpiGroupValueRef],
      description: 'One value per group of a dimension.',
      args: {
        period: t.arg({ type: PeriodInputRef, required: true }),
        by: t.arg({ type: DimensionEnum, required: true }),
        filter: t.arg({ type: KpiFilterInputRef, required: false }),
        params: t.arg({ type: 'JSON', required: false }),
        compareTo: t.arg({
          type: ComparisonEnum,
          required: false,
          description: 'Each group’s value also carries `previous`: the same group over the comparison period, with change and relative change.',
        }),
        compareToPeriod: t.arg({ type: PeriodInputRef, required: false, description: compareToPeriodDescription }),
        thenBy: t.arg({
          type: DimensionEnum,
          required: false,
          description: 'A second dimension: one group per pair of values of `by` and this (inputs KPIs; in the same statement), its value in `second`.',
        }),
        orderBy: t.arg({ type: BreakdownOrderRef, required: false, description: 'Order the groups; by default they come in the order of their keys.' }),
        first: t.arg.int({
          required: false,
          validate: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
          description:
            'Keep the first N groups (after orderBy); the rest become one group with key "(other)": summed for additive KPIs (counts, money), recomputed from the summed numerators and denominators for ratios, null with a reason when neither applies.',
        }),
      },
      resolve: (definition, args, ctx) => {
        const period = periodFromArg(args.period as PeriodArg, ctx);
        const previous = previousOfPeriod(ctx, period, comparisonFromArgs(ctx, { compareTo: args.compareTo, compareToPeriod: args.compareToPeriod as PeriodArg | null }));
        return resolveBreakdown(ctx, definition, period, args.by, args.filter, paramsArg(args.params), previous, {
          order: args.orderBy?.value ?? null,
          first: args.first ?? null,
        }, args.thenBy ?? null);
      },
    }),
  }),
});

builder.queryFields((t) => ({
  kpis: t.field({
    type: [KpiDefinitionRef],
    description: 'The KPI catalogue: built-in and partner plugins, then the workspace’s own KPIs (defineKpi).',
    args: {
      keys: t.arg.stringList({ required: false, description: 'Only these KPIs, in this order.' }),
      stage: t.arg({ type: LifecycleStageEnum, required: false }),
      unit: t.arg({ type: UnitEnum, required: false }),
      search: t.arg.string({ required: false, description: 'Words in the key, name or description.' }),
    },
    resolve: (_root, args, ctx) => {
      let list: KpiDefinition[] = args.keys
        ? args.keys.map((key, index) => {
            const definition = ctx.registry.get(key);
            if (!definition) throw badUserInput({ field: `keys[${index}]`, message: `unknown KPI "${key}".` });
            return definition;
          })
        : [...ctx.registry.list()];
      if (args.stage) list = list.filter((d) => d.stages.includes(args.stage!));
      if (args.unit) list = list.filter((d) => d.unit === args.unit);
      if (args.search) {
        const words = args.search.toLowerCase().split(/\s+/).filter(Boolean);
        list = list.filter((d) => words.every((w) => `${d.key} ${d.name} ${d.description}`.toLowerCase().includes(w)));
      }
      return list;
    },
  }),
  kpi: t.field({
    type: KpiDefinitionRef,
    args: { key: t.arg.string({ required: true }) },
    resolve: (_root, { key }, ctx) => {
      const definition = ctx.registry.get(key);
      if (!definition) throw notFound('KPI', key);
      return definition;
    },
  }),
  recommendedKpis: t.field({
    type: [KpiDefinitionRef],
    description: 'The KPIs that matter most for a business at this lifecycle stage.',
    args: { stage: t.arg({ type: LifecycleStageEnum, required: true }) },
    resolve: (_root, { stage }, ctx) => [...ctx.registry.recommended(stage)],
  }),
}));
