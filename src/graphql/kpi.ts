import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import type { KpiDefinition } from '../kpi/define.js';
import { missingGroupKey } from '../kpi/define.js';
import type { KpiGroupPart } from '../kpi/kpi-value.js';
import type { KpiGroupValue, KpiPoint } from '../kpi/query-service.js';
import { otherGroupKey } from '../kpi/query-service.js';
import type { Dimension } from '../kpi/types.js';
import { seriesWindow } from '../kpi/windows.js';
import { workspaceKpiInfo } from '../kpi/workspace-kpis.js';
import { builder } from './builder.js';
import { costOf } from './field-cost.js';
import { SortDirectionEnum } from './enums.js';
import type { GraphQLContext } from './context.js';
import { badUserInput, notFound } from './errors.js';
import type { PeriodArg } from './kpi-inputs.js';
import { ComparisonEnum, DimensionEnum, GrainEnum, KpiFilterInputRef, LifecycleStageEnum, PeriodInputRef, filterFromArg, periodFromArg } from './kpi-inputs.js';
import { KpiValueRef } from './kpi-value.js';
import { KpiShareRef, SeriesWindowInputRef, compareToPeriodDescription, makeGroupPartRef } from './kpi-algebra.js';
import { DirectionEnum, UnitEnum } from './kpi-enums.js';

/** How every breakdown lists its groups (the KPI query service's completion). */
const breakdownGroupsDescription = (what: string): string =>
  `${what} Complete: every team, owner, campaign, deal stage, deal type and RFM segment of the workspace (within the filter; a team key’s own team and its people) is a group, those without records at 0 for counts and sums and null with a reason for rates; channel, region, industry and product line list the values that have records. Groups come in the order of their keys, then orderBy and first apply.`;

const groupTypenames: Partial<Record<Dimension, string>> = { team: 'Team', owner: 'User', campaign: 'Campaign' };

/** A group's key as clients filter by it: a global ID for team, owner and campaign; null for records without a value. */
function groupKeyArg(group: KpiGroupValue | KpiGroupPart): string | null {
  if (group.key === missingGroupKey) return null;
  const typename = groupTypenames[group.dimension];
  return typename && group.key !== otherGroupKey ? encodeGlobalID(typename, group.key) : group.key;
}

const KpiGroupValueRef = builder.objectRef<KpiGroupValue>('KpiGroupValue').implement({
  fields: (t) => ({
    dimension: t.field({ type: DimensionEnum, resolve: (g) => g.dimension }),
    key: t.string({ nullable: true, description: 'The dimension’s value (a global ID for team, owner, campaign); null for records without one.', resolve: groupKeyArg }),
    label: t.exposeString('label'),
    second: t.field({
      type: makeGroupPartRef(groupKeyArg),
      nullable: true,
      description: 'For a breakdown with `thenBy`: the second dimension’s value of this group (dimension, key and label above are the first’s); null otherwise and for "other".',
      resolve: (g) => g.second,
    }),
    value: t.field({ type: KpiValueRef, resolve: (g) => g.value }),
    shareOfTotal: t.field({
      type: KpiShareRef,
      description:
        'The group’s value over the sum of all groups’ values (those folded into "other" included); for counts and money only: a rate’s, mean’s or percentile’s groups do not add up to a total, so theirs is null with a reason.',
      resolve: (g) => g.shareOfTotal(),
    }),
  }),
});

const KpiPointRef = builder.objectRef<KpiPoint>('KpiPoint').implement({
  description: 'One bucket of a series.',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', resolve: (p) => p.bucket.start }),
    end: t.field({ type: 'DateTime', resolve: (p) => p.bucket.end }),
    value: t.field({
      type: KpiValueRef,
      description: 'The KPI over the bucket, or over its window when the series has one (the value’s period says which).',
      extensions: costOf({ cells: 1 }),
      resolve: (p) => p.value(),
    }),
    breakdown: t.field({
      type: [KpiGroupValueRef],
      description: breakdownGroupsDescription('One value per group when the series was asked with `by`; empty otherwise.'),
      extensions: costOf({ cells: 'seriesGroups' }),
      resolve: (p) => p.breakdown(),
    }),
  }),
});

const jsonParams = z.record(z.string(), z.unknown());
export function paramsArg(params: unknown): Record<string, unknown> {
  if (params == null) return {};
  const parsed = jsonParams.safeParse(params);
  if (!parsed.success) throw badUserInput({ field: 'params', message: 'must be a JSON object of the KPI’s params.' });
  return parsed.data;
}

/** A given comparison period, resolved like any period (errors name `compareToPeriod`). */
const comparedPeriodArg = (arg: PeriodArg | null | undefined, ctx: GraphQLContext) => (arg ? periodFromArg(arg, ctx, 'compareToPeriod') : null);

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
      extensions: costOf({ cells: 1, doubledBy: ['compareTo', 'compareToPeriod'] }),
      args: {
        period: t.arg({ type: PeriodInputRef, required: true }),
        filter: t.arg({ type: KpiFilterInputRef, required: false }),
        params: t.arg({ type: 'JSON', required: false }),
        compareTo: t.arg({ type: ComparisonEnum, required: false }),
        compareToPeriod: t.arg({ type: PeriodInputRef, required: false, description: compareToPeriodDescription }),
        stage: t.arg({ type: LifecycleStageEnum, required: false, description: 'Use the target for this lifecycle stage.' }),
      },
      resolve: (definition, args, ctx) =>
        ctx.kpi.value({
          definition,
          period: periodFromArg(args.period as PeriodArg, ctx),
          filter: filterFromArg(args.filter),
          params: paramsArg(args.params),
          compareTo: args.compareTo ?? null,
          compareToPeriod: comparedPeriodArg(args.compareToPeriod as PeriodArg | null | undefined, ctx),
          stage: args.stage ?? undefined,
        }),
    }),
    series: t.field({
      type: [KpiPointRef],
      description: 'The KPI per bucket of a grain over a range; with `by`, each point also has a breakdown.',
      extensions: costOf({ buckets: { range: 'range', grain: 'grain', by: 'by' } }),
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
          description:
            'Compare point by point with this period, cut into the same grain: the i-th point with its i-th bucket (no `previous` past its last bucket). Give compareTo or this, not both.',
        }),
        window: t.arg({
          type: SeriesWindowInputRef,
          required: false,
          description: 'Each point covers a rolling or cumulative window instead of its bucket, in the same statements.',
        }),
      },
      resolve: (definition, args, ctx) =>
        ctx.kpi.series({
          definition,
          range: periodFromArg(args.range as PeriodArg, ctx, 'range'),
          grain: args.grain,
          filter: filterFromArg(args.filter),
          params: paramsArg(args.params),
          by: args.by ?? null,
          compareTo: args.compareTo ?? null,
          compareToPeriod: comparedPeriodArg(args.compareToPeriod as PeriodArg | null | undefined, ctx),
          window: seriesWindow(args.window),
        }),
    }),
    breakdown: t.field({
      type: [KpiGroupValueRef],
      description: breakdownGroupsDescription('One value per group of a dimension.'),
      extensions: costOf({ cells: 'byGroups' }),
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
          description:
            'A second dimension: one group per pair of values of `by` and this that has records (inputs KPIs; in the same statement), its value in `second`. Pairs are not completed with members without records.',
        }),
        orderBy: t.arg({ type: BreakdownOrderRef, required: false, description: 'Order the groups; by default they come in the order of their keys.' }),
        first: t.arg.int({
          required: false,
          validate: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
          description:
            'Keep the first N groups (after orderBy); the rest become one group with key "(other)": summed for additive KPIs (counts, money), recomputed from the summed numerators and denominators for ratios, null with a reason when neither applies.',
        }),
      },
      resolve: (definition, args, ctx) =>
        ctx.kpi.breakdown({
          definition,
          period: periodFromArg(args.period as PeriodArg, ctx),
          by: args.by,
          filter: filterFromArg(args.filter),
          params: paramsArg(args.params),
          compareTo: args.compareTo ?? null,
          compareToPeriod: comparedPeriodArg(args.compareToPeriod as PeriodArg | null | undefined, ctx),
          thenBy: args.thenBy ?? null,
          order: args.orderBy?.value ?? null,
          first: args.first ?? null,
        }),
    }),
  }),
});

builder.queryFields((t) => ({
  kpis: t.field({
    type: [KpiDefinitionRef],
    description: 'The KPI catalogue: built-in and partner plugins, then the workspace’s own KPIs (defineKpi).',
    extensions: costOf({ perKpi: { keys: 'keys' } }),
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
    extensions: costOf({ perKpi: { keys: null } }),
    args: { stage: t.arg({ type: LifecycleStageEnum, required: true }) },
    resolve: (_root, { stage }, ctx) => [...ctx.registry.recommended(stage)],
  }),
}));
