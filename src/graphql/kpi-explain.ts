/**
 * KpiDefinition.explain: the engine's plan and SQL for the cells that
 * value, breakdown or series would ask for with the same arguments, for
 * admins. Nothing is computed; the result cache is only looked at.
 */
import type { KpiCellKey } from '../kpi/cell.js';
import type { ExplainedCell, ExplainedStatement, KpiExplanation } from '../kpi/explain.js';
import { overallPath } from '../kpi/explain.js';
import { groupingDimensions } from '../kpi/grouping.js';
import type { PlannedGroup } from '../kpi/inputs/plan.js';
import { comparisonPeriod } from '../kpi/periods.js';
import type { PeriodRow } from '../kpi/sql/compile.js';
import type { TimeRange } from '../kpi/types.js';
import { builder } from './builder.js';
import { KpiDefinitionRef, paramsArg } from './kpi.js';
import type { PeriodArg } from './kpi-inputs.js';
import { ComparisonEnum, DimensionEnum, GrainEnum, KpiFilterInputRef, PeriodInputRef, filterFromArg, periodFromArg } from './kpi-inputs.js';

const ExplainPathEnum = builder.enumType('KpiExplainPath', {
  description: 'How the engine would answer a cell.',
  values: {
    RAW: { value: 'raw', description: 'By the statements listed, over the tables.' },
    CACHE: { value: 'cache', description: 'From the result cache, at the workspace’s current data version: no statement.' },
    PLUGIN: { value: 'plugin', description: 'By a compute plugin’s own query (not listed), one call per KPI and batch.' },
    INVALID: { value: 'invalid', description: 'Not at all: the cell is refused (see its error).' },
  } as const,
});

const UnitKindEnum = builder.enumType('KpiStatementUnitKind', {
  description: 'How one branch of a statement reads its table.',
  values: {
    BUCKETED: { value: 'bucketed', description: 'One pass over the table, rows counted per elementary interval of the periods’ edges and summed into periods.' },
    SINGLE_PERIOD: { value: 'singlePeriod', description: 'Plain filtered aggregates over one period.' },
    PERIOD_JOIN: { value: 'periodJoin', description: 'Rows joined to each period (distinct counts, conditions on a period’s edges).' },
    PERCENTILE: { value: 'percentile', description: 'An ordered pass per period and group, for an exact percentile.' },
    ROLLUP: { value: 'rollup', description: 'Sums of the daily rollup kept exact by every write, instead of the rows.' },
  } as const,
});

const PlanPeriodRef = builder.objectRef<PeriodRow>('KpiPlanPeriod').implement({
  description: 'A period a group of measures is read over.',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', description: 'Its start (inclusive).', resolve: (p) => p.start }),
    end: t.field({ type: 'DateTime', description: 'Its end (exclusive).', resolve: (p) => p.end }),
    edge: t.field({ type: 'DateTime', nullable: true, description: 'For a snapshot: the instant records are counted alive at.', resolve: (p) => p.edge ?? null }),
  }),
});

const PlanGroupRef = builder.objectRef<PlannedGroup & { index: number }>('KpiPlanGroup').implement({
  description: 'Measures read together: one source, one time field (or snapshot span), one filter and group-by.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Its position in the plan, as statement units name it.' }),
    source: t.exposeString('source', { description: 'The records measured, e.g. deals.' }),
    timeField: t.string({ nullable: true, description: 'For measures over a range: the time field that must fall in the period.', resolve: (g) => (g.timing.kind === 'range' ? g.timing.field : null) }),
    snapshotFrom: t.string({ nullable: true, description: 'For a snapshot: the time field a record is alive from.', resolve: (g) => (g.timing.kind === 'snapshot' ? g.timing.from : null) }),
    snapshotUntil: t.string({ nullable: true, description: 'For a snapshot: the time field a record is alive until (none: still alive).', resolve: (g) => (g.timing.kind === 'snapshot' ? g.timing.until : null) }),
    filter: t.field({ type: 'JSON', description: 'The dimension filter, row IDs as strings.', resolve: (g) => g.filter }),
    groupBy: t.field({
      type: DimensionEnum,
      nullable: true,
      description: 'The dimension rows are grouped by (the first of a pair); null for one value.',
      resolve: (g) => groupingDimensions(g.groupBy)[0] ?? null,
    }),
    thenBy: t.field({
      type: DimensionEnum,
      nullable: true,
      description: 'For a breakdown by two dimensions: the second one; null otherwise.',
      resolve: (g) => groupingDimensions(g.groupBy)[1] ?? null,
    }),
    measures: t.field({ type: 'JSON', description: 'Its distinct measures as the KPIs declare them (kind, fields, conditions).', resolve: (g) => g.measures }),
    periods: t.field({ type: [PlanPeriodRef], description: 'Its distinct periods.', resolve: (g) => g.periods }),
  }),
});

const StatementUnitRef = builder.objectRef<ExplainedStatement['units'][number]>('KpiStatementUnit').implement({
  description: 'One branch of a statement.',
  fields: (t) => ({
    kind: t.field({ type: UnitKindEnum, description: 'How it reads its table.', resolve: (u) => u.kind }),
    groups: t.field({ type: ['Int'], description: 'The plan groups it answers (their index).', resolve: (u) => u.groups }),
  }),
});

const MeasureGroupPathRef = builder.objectRef<ExplainedStatement['paths'][number]>('KpiMeasureGroupPath').implement({
  description: 'Where one plan group is read from, and why.',
  fields: (t) => ({
    group: t.exposeInt('group', { description: 'The plan group (its index).' }),
    rollup: t.boolean({ description: 'True when it is read from the daily rollup, false when from the rows.', resolve: (p) => p.path === 'rollup' }),
    reason: t.exposeString('reason', { description: 'Why that path: what the rollup holds or lacks for this group.' }),
  }),
});

const StatementRef = builder.objectRef<ExplainedStatement>('KpiStatement').implement({
  description: 'The one statement of a source, as it would be sent.',
  fields: (t) => ({
    source: t.exposeString('source', { description: 'The records it reads.' }),
    sql: t.exposeString('sql', { description: 'Its SQL text; every value is a parameter ($1, $2 …).' }),
    params: t.field({ type: 'JSON', description: 'Its parameters in placeholder order.', resolve: (s) => s.params }),
    units: t.field({ type: [StatementUnitRef], description: 'Its branches (UNION ALL), in order.', resolve: (s) => s.units }),
    error: t.string({ nullable: true, description: 'Why it could not be compiled (its cells would fail); then sql is empty.', resolve: (s) => s.error }),
    paths: t.field({ type: [MeasureGroupPathRef], description: 'Each of its plan groups: read from the daily rollup or the rows, and why.', resolve: (s) => s.paths }),
  }),
});

const ExplainCellRef = builder.objectRef<ExplainedCell>('KpiExplainCell').implement({
  description: 'A cell the arguments ask for: a KPI over a period, filtered, with params, optionally grouped.',
  fields: (t) => ({
    kpi: t.exposeString('kpiKey', { description: 'The KPI’s key.' }),
    start: t.field({ type: 'DateTime', description: 'The period’s start (inclusive).', resolve: (c) => c.period.start }),
    end: t.field({ type: 'DateTime', description: 'The period’s end (exclusive).', resolve: (c) => c.period.end }),
    filter: t.field({ type: 'JSON', description: 'The dimension filter as the engine sees it (row IDs as strings, a team key’s team included).', resolve: (c) => c.filter }),
    params: t.field({ type: 'JSON', description: 'The params, defaults applied.', resolve: (c) => c.params }),
    groupBy: t.field({ type: DimensionEnum, nullable: true, description: 'The dimension of a breakdown; null for one value.', resolve: (c) => c.groupBy }),
    path: t.field({ type: ExplainPathEnum, description: 'How it would be answered.', resolve: (c) => c.path }),
    components: t.field({ type: 'JSON', nullable: true, description: 'For a derived KPI: its components’ KPI keys by the names its formula uses.', resolve: (c) => c.components }),
    error: t.string({ nullable: true, description: 'Why an invalid cell would be refused.', resolve: (c) => c.error }),
  }),
});

const ExplanationRef = builder.objectRef<KpiExplanation>('KpiExplanation').implement({
  description: 'What the engine would do for the cells asked: their path, the plan of those it computes, and its SQL statements (one per source).',
  fields: (t) => ({
    path: t.field({ type: ExplainPathEnum, description: 'RAW when any statement would run, else PLUGIN when a compute plugin would, else CACHE when the cache answers any cell, else INVALID.', resolve: (e) => overallPath(e) }),
    cacheEnabled: t.exposeBoolean('cacheEnabled', { description: 'Whether the server keeps computed cells in a result cache.' }),
    cells: t.field({ type: [ExplainCellRef], description: 'The cells asked for, in order.', resolve: (e) => e.cells }),
    groups: t.field({ type: [PlanGroupRef], description: 'The plan of the RAW cells: their measures merged into groups.', resolve: (e) => e.plan.groups.map((group, index) => ({ ...group, index })) }),
    plan: t.field({ type: 'JSON', description: 'The whole plan as a plain value: groups, and each RAW cell’s inputs as group, measure and period indexes.', resolve: (e) => e.plan }),
    statements: t.field({ type: [StatementRef], description: 'The statements the RAW cells would run, one per source, all at once.', resolve: (e) => e.statements }),
  }),
});

builder.objectField(KpiDefinitionRef, 'explain', (t) =>
  t.field({
    type: ExplanationRef,
    authScopes: { admin: true },
    description:
      'Admin only: the plan and SQL for what value (period), breakdown (period and by) or series (period as the range, grain, optionally by) would ask for with these arguments. Nothing is computed.',
    args: {
      period: t.arg({ type: PeriodInputRef, required: true, description: 'The period of a value or breakdown; the range of a series when grain is given.' }),
      grain: t.arg({ type: GrainEnum, required: false, description: 'Explain a series: one cell per bucket of this grain.' }),
      by: t.arg({ type: DimensionEnum, required: false, description: 'Explain a breakdown (or a series’ breakdowns) by this dimension.' }),
      filter: t.arg({ type: KpiFilterInputRef, required: false, description: 'As for value.' }),
      params: t.arg({ type: 'JSON', required: false, description: 'As for value.' }),
      compareTo: t.arg({ type: ComparisonEnum, required: false, description: 'Also the comparison period of each cell.' }),
    },
    resolve: (definition, args, ctx) => {
      const period = periodFromArg(args.period as PeriodArg, ctx, args.grain ? 'range' : 'period');
      const periods: readonly TimeRange[] = args.grain ? ctx.kpi.buckets(period, args.grain) : [period];
      const compared = args.compareTo ? periods.map((p) => comparisonPeriod(p, args.compareTo!, ctx.workspace.timeZone)) : [];
      const base = { kpiKey: definition.key, filter: filterFromArg(args.filter), params: paramsArg(args.params), groupBy: args.by ?? null };
      const keys: KpiCellKey[] = [...periods, ...compared].map((p) => ({ ...base, period: { start: p.start, end: p.end } }));
      return ctx.kpi.explain(keys);
    },
  }),
);
