/**
 * A goal's progress at an instant, resolved through the KPI loader: the
 * `GoalProgress` type, its series, and the memo that lets the goals query
 * filter by status and the progress fields answer from the same work.
 */
import type { Decimal } from 'decimal.js';
import type { Goal } from '../generated/prisma/client.js';
import type { Progress } from '../goals/progress.js';
import { computeProgress, elapsedFraction, goalStatuses, isAdditive, measuredAt } from '../goals/progress.js';
import { seriesBuckets, seriesGrain } from '../goals/series.js';
import type { KpiDefinition } from '../kpi/define.js';
import type { KpiResult, TimeRange } from '../kpi/types.js';
import { versionedKey } from '../kpi/workspace-kpis.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { goalParams, goalScope, loadGoalValue, toDecimal } from './goal-values.js';
import { GrainEnum } from './kpi-inputs.js';
import { NullReasonRef } from './kpi-value.js';

export interface GoalProgressShape {
  goal: Goal;
  definition: KpiDefinition | undefined;
  period: TimeRange;
  /** The instant measured at: min(asked, period end). */
  at: Date;
  elapsed: Decimal;
  target: Decimal;
  actual: KpiResult;
  progress: Progress;
}

/** Rows listed by a query that was asked "as of" an instant, so their progress fields default to it. */
const rowAsOf = new WeakMap<object, Date>();

/** Marks goal rows as listed "as of" `at` (when given). */
export function listedAsOf<T extends object>(rows: T[], at: Date | null | undefined): T[] {
  if (at) for (const row of rows) rowAsOf.set(row, at);
  return rows;
}

/** The instant a goal's progress is asked at: the field's argument, else its list's, else the request's now. */
export function askedAt(ctx: GraphQLContext, goal: object, at: Date | null | undefined): Date {
  return at ?? rowAsOf.get(goal) ?? ctx.now;
}

const memo = new WeakMap<GraphQLContext, Map<string, Promise<GoalProgressShape>>>();

/** A goal's progress at `at`, computed once per request for the same goal, version and instant. */
export function goalProgress(ctx: GraphQLContext, goal: Goal, at: Date): Promise<GoalProgressShape> {
  let byKey = memo.get(ctx);
  if (!byKey) memo.set(ctx, (byKey = new Map()));
  const key = `${goal.id}/${goal.version}/${at.getTime()}`;
  let progress = byKey.get(key);
  if (!progress) byKey.set(key, (progress = computeGoalProgress(ctx, goal, at)));
  return progress;
}

async function computeGoalProgress(ctx: GraphQLContext, goal: Goal, asked: Date): Promise<GoalProgressShape> {
  const definition = ctx.registry.get(goal.kpiVersion ? versionedKey(goal.kpiKey, goal.kpiVersion) : goal.kpiKey);
  const period = { start: goal.periodStart, end: goal.periodEnd };
  const at = measuredAt(period, asked);
  const elapsed = elapsedFraction(period, at);
  const target = toDecimal(goal.target);
  let actual: KpiResult;
  if (!definition) actual = { value: null, reason: { code: 'NOT_APPLICABLE', message: `KPI "${goal.kpiKey}" is no longer registered.` } };
  else if (elapsed.isZero()) actual = { value: null, reason: { code: 'NOT_APPLICABLE', message: `The goal's period starts at ${period.start.toISOString()}.` } };
  else actual = await loadGoalValue(ctx, definition, { start: period.start, end: at }, goalScope(goal), goalParams(goal));
  // A goal on a KPI that is gone has nothing to pace.
  const progress: Progress = definition
    ? computeProgress({
        direction: definition.direction,
        additive: isAdditive(definition),
        target,
        actual: actual.value,
        elapsed,
        atRiskMargin: ctx.config.GOAL_AT_RISK_MARGIN,
      })
    : { status: 'NO_DATA', attainment: null, expected: null, projected: null };
  return { goal, definition, period, at, elapsed, target, actual, progress };
}

export const GoalStatusEnum = builder.enumType('GoalStatus', {
  description:
    'ON_TRACK, AT_RISK or OFF_TRACK while the period runs (by the projection against the target, with the at-risk margin); ACHIEVED early for an additive total that reached a higher-is-better target; ACHIEVED or MISSED once the period ended; NOT_STARTED before it; NO_DATA when the KPI has no value (see reason).',
  values: goalStatuses,
});

interface PointShape {
  ctx: GraphQLContext;
  shape: GoalProgressShape;
  bucket: TimeRange;
}

const GoalPointRef = builder.objectRef<PointShape>('GoalPoint').implement({
  description: 'The KPI over one bucket of the goal’s period, within its scope.',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', resolve: (p) => p.bucket.start }),
    end: t.field({ type: 'DateTime', description: 'Exclusive; the last bucket ends at the progress instant.', resolve: (p) => p.bucket.end }),
    value: t.float({ nullable: true, resolve: async (p) => (await pointValue(p)).value?.toNumber() ?? null }),
    exact: t.string({ nullable: true, resolve: async (p) => (await pointValue(p)).value?.toFixed() ?? null }),
    reason: t.field({ type: NullReasonRef, nullable: true, resolve: async (p) => (await pointValue(p)).reason ?? null }),
  }),
});

function pointValue(p: PointShape): Promise<KpiResult> {
  const { goal, definition } = p.shape;
  // The loader caches cells, so value, exact and reason share one load.
  return loadGoalValue(p.ctx, definition!, p.bucket, goalScope(goal), goalParams(goal));
}

const float = (value: Decimal | null): number | null => (value === null ? null : value.toNumber());

export const GoalProgressRef = builder.objectRef<GoalProgressShape>('GoalProgress').implement({
  description: 'How a goal stands at an instant t = min(asked instant, period end); its KPI is measured over [period start, t).',
  fields: (t) => ({
    at: t.field({ type: 'DateTime', description: 'The instant measured at: the one asked for, but never past the period’s end.', resolve: (p) => p.at }),
    elapsedFraction: t.float({ description: 'Share of the period elapsed at `at`, 0 to 1.', resolve: (p) => p.elapsed.toNumber() }),
    actual: t.float({ nullable: true, description: 'The KPI over [period start, at); rates as fractions.', resolve: (p) => float(p.actual.value) }),
    exact: t.string({ nullable: true, description: 'The exact decimal actual.', resolve: (p) => p.actual.value?.toFixed() ?? null }),
    reason: t.field({ type: NullReasonRef, nullable: true, description: 'Why actual is null.', resolve: (p) => p.actual.reason ?? null }),
    target: t.float({ resolve: (p) => p.target.toNumber() }),
    attainment: t.float({
      nullable: true,
      description: 'Actual against target: actual ÷ target, or target ÷ actual when lower is better; 1 = on target.',
      resolve: (p) => float(p.progress.attainment),
    }),
    expected: t.float({
      nullable: true,
      description: 'Where the KPI should stand by now: target × elapsedFraction for additive KPIs (counts, totals of money), the target itself for rates and averages.',
      resolve: (p) => float(p.progress.expected),
    }),
    projected: t.float({
      nullable: true,
      description: 'Where the KPI will stand at the end: run-rate (actual ÷ elapsedFraction) for additive KPIs, the current value for rates and averages.',
      resolve: (p) => float(p.progress.projected),
    }),
    additive: t.boolean({ description: 'Whether the KPI is paced on a straight line (a total) or held (a rate or average).', resolve: (p) => (p.definition ? isAdditive(p.definition) : false) }),
    status: t.field({ type: GoalStatusEnum, resolve: (p) => p.progress.status }),
    series: t.field({
      type: [GoalPointRef],
      description: 'The KPI per bucket of the goal’s period up to `at`, for charts. Grain: day up to 31 days, week up to 120, month beyond, unless given.',
      args: { grain: t.arg({ type: GrainEnum, required: false }) },
      resolve: (p, args, ctx) => {
        if (!p.definition) return [];
        const grain = args.grain ?? seriesGrain(p.period);
        return seriesBuckets(p.period, p.at, grain, ctx.workspace.timeZone, ctx.config.KPI_MAX_BUCKETS).map((bucket) => ({ ctx, shape: p, bucket }));
      },
    }),
  }),
});
