/**
 * The `GoalProgress` type and its series, mapped from the goal service's
 * progress (which the goals query's status filter shares).
 */
import type { Decimal } from 'decimal.js';
import type { Goal } from '../generated/prisma/client.js';
import { goalStatuses, isAdditive } from '../goals/progress.js';
import { seriesBuckets, seriesGrain } from '../goals/series.js';
import type { GoalProgressShape } from '../goals/service.js';
import type { KpiResult, TimeRange } from '../kpi/types.js';
import { builder } from './builder.js';
import { inZone } from './calendar-date.js';
import type { GraphQLContext } from './context.js';
import { GrainEnum } from './kpi-inputs.js';
import { NullReasonRef } from './kpi-value.js';

/** Marks goal rows as listed "as of" `at` (when given), so their progress fields default to it. */
export function listedAsOf(ctx: GraphQLContext, rows: Goal[], at: Date | null | undefined): Goal[] {
  return ctx.goals.listedAsOf(rows, at);
}

/** The instant a goal's progress is asked at: the field's argument, else its list's, else the request's now. */
export function askedAt(ctx: GraphQLContext, goal: Goal, at: Date | null | undefined): Date {
  return inZone(ctx.goals.askedAt(goal, at, ctx.clock.now()), ctx.workspace.timeZone);
}

/** A goal's progress at `at`, from the request's goal service. */
export function goalProgress(ctx: GraphQLContext, goal: Goal, at: Date): Promise<GoalProgressShape> {
  return ctx.goals.progress(goal, at);
}

export const PacingEnum = builder.enumType('GoalPacing', {
  description:
    'How a goal expects its KPI to move through the period. LINEAR: a total growing evenly from 0 to the target (projected by run-rate). HELD: a rate or level judged as it stands (expected = target; projected = the current value). SEASONAL: a total growing like the same period a year earlier did (expected = target × last year’s share by the same point; falls back to LINEAR with a warning without last year’s value).',
  values: { LINEAR: { value: 'linear' }, HELD: { value: 'held' }, SEASONAL: { value: 'seasonal' } } as const,
});

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
  // The loader caches cells, so value, exact and reason share one load.
  return p.ctx.goals.value(p.shape.goal, p.shape.definition!, p.bucket);
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
