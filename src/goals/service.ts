/**
 * The goal service: a goal's progress at an instant (actual through the KPI
 * engine, pacing, forecast, status, what it would take), a cascade parent's
 * roll-up from its children, and the drivers of a gap. One instance per
 * request: it remembers progress by goal, version and instant, and all its
 * KPI values come from the request's KPI query service.
 */
import DataLoader from 'dataloader';
import type { Decimal } from 'decimal.js';
import type { Goal, PrismaClient } from '../generated/prisma/client.js';
import type { KpiDefinition } from '../kpi/define.js';
import type { RecordPage } from '../kpi/drill-through.js';
import { KpiInputError } from '../kpi/errors.js';
import type { RecordPosition } from '../kpi/sql/record-ids.js';
import type { KpiRegistry } from '../kpi/registry.js';
import type { Dimension, KpiResult, TimeRange } from '../kpi/types.js';
import { comparisonPeriod } from '../kpi/periods.js';
import type { GoalKpiSource } from './goal-values.js';
import { goalParams, goalScope, loadGoalValue, loadGoalBreakdown, toDecimal } from './goal-values.js';
import type { Pace, Pacing } from './pacing.js';
import { kpiPacing, paceAt } from './pacing.js';
import type { Progress } from './progress.js';
import { computeProgress, elapsedFraction, isAdditive, measuredAt } from './progress.js';
import type { Driver, Required } from './required.js';
import { driversOfGap, requiredToReach } from './required.js';
import { rollUp } from './rollup.js';
import { yearEarlier } from './year-earlier.js';
import { versionedKey } from '../kpi/workspace-kpis.js';
import type { StatusPeriod } from './events/history.js';
import { statusHistories } from './events/history.js';

export interface GoalServiceOptions {
  kpi: GoalKpiSource;
  registry: KpiRegistry;
  /** The request's workspace-scoped client. */
  prisma: PrismaClient;
  timeZone: string;
  atRiskMargin: number;
}

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
  /** The pacing asked for: the goal's own, else the KPI's. */
  pacing: Pacing;
  pace: Pace;
  required: Required;
  /** actual − expected; null without both. */
  gap: Decimal | null;
  /** A cascade parent's children's progress (its actual rolls up from them); empty for a leaf goal. */
  children: GoalProgressShape[];
}

/** One goal judged at an instant, flat, for event producers and scripts. */
export interface GoalJudgement {
  goalId: number;
  status: Progress['status'];
  attainment: Decimal | null;
  actual: Decimal | null;
  expected: Decimal | null;
  projected: Decimal | null;
  target: Decimal;
  numerator: Decimal | null;
  denominator: Decimal | null;
}

export class GoalService {
  private readonly memo = new Map<string, Promise<GoalProgressShape>>();
  private readonly childrenOf: DataLoader<number, Goal[]>;
  private readonly histories: DataLoader<number, StatusPeriod[]>;
  /** Goals listed "as of" an instant: their progress defaults to it. */
  private readonly listedAt = new WeakMap<Goal, Date>();

  constructor(private readonly options: GoalServiceOptions) {
    this.childrenOf = new DataLoader(async (parentIds) => {
      const rows = await options.prisma.goal.findMany({ where: { parentId: { in: [...parentIds] }, archivedAt: null }, orderBy: { id: 'asc' } });
      return parentIds.map((id) => rows.filter((row) => row.parentId === id));
    });
    // A list's goals resolve their histories over several ticks: wait for all of them.
    this.histories = new DataLoader((goalIds) => statusHistories(options.prisma, goalIds), { batchScheduleFn: (run) => setImmediate(run) });
  }

  /** Marks goals as listed "as of" `at` (when given): their progress is then asked at it unless a field says otherwise. */
  listedAsOf(goals: Goal[], at: Date | null | undefined): Goal[] {
    if (at) for (const goal of goals) this.listedAt.set(goal, at);
    return goals;
  }

  /** The instant a goal's progress is asked at: the one given, else its list's, else `now`. */
  askedAt(goal: Goal, at: Date | null | undefined, now: Date): Date {
    return at ?? this.listedAt.get(goal) ?? now;
  }

  /** The goal's statuses as the event detector judged them, oldest first; batched across goals. */
  statusHistory(goalId: number): Promise<StatusPeriod[]> {
    return this.histories.load(goalId);
  }

  /** The goal's live (not archived) children, by id; batched across goals. */
  children(goalId: number): Promise<Goal[]> {
    return this.childrenOf.load(goalId);
  }

  /** Forgets what this request remembered about goals, after a write changed them. */
  forget(): void {
    this.memo.clear();
    this.childrenOf.clearAll();
    this.histories.clearAll();
  }

  /** A goal's progress at `asked` (never past its period's end), computed once per goal, version and instant. */
  progress(goal: Goal, asked: Date): Promise<GoalProgressShape> {
    const key = `${goal.id}/${goal.version}/${asked.getTime()}`;
    let progress = this.memo.get(key);
    if (!progress) this.memo.set(key, (progress = this.compute(goal, asked)));
    return progress;
  }

  /** Many goals judged at once (their KPI cells share batches), in the goals' order. */
  async judge(goals: readonly Goal[], at: Date): Promise<GoalJudgement[]> {
    const shapes = await Promise.all(goals.map((goal) => this.progress(goal, at)));
    return shapes.map((shape) => ({
      goalId: shape.goal.id,
      status: shape.progress.status,
      attainment: shape.progress.attainment,
      actual: shape.actual.value,
      expected: shape.progress.expected,
      projected: shape.progress.projected,
      target: shape.target,
      numerator: shape.actual.numerator ?? null,
      denominator: shape.actual.denominator ?? null,
    }));
  }

  /** The KPI over one range within the goal's scope (series buckets, references). */
  value(goal: Goal, definition: KpiDefinition, range: TimeRange): Promise<KpiResult> {
    return loadGoalValue(this.options.kpi, definition, range, goalScope(goal), goalParams(goal));
  }

  /**
   * The records the goal's actual is made of at `asked`: those its KPI's
   * numerator counts or sums from the period's start to min(asked, end),
   * within the goal's scope (and the caller's team). Before the period
   * starts there are none. Rates, snapshots and computed KPIs are a
   * KpiInputError naming why.
   */
  records(goal: Goal, asked: Date, page: { first: number; after: RecordPosition | null }): Promise<RecordPage> {
    const definition = this.definitionOf(goal);
    if (!definition) throw new KpiInputError('records', `KPI "${goal.kpiKey}" is no longer registered.`);
    const at = measuredAt({ start: goal.periodStart, end: goal.periodEnd }, asked);
    const end = at.getTime() < goal.periodStart.getTime() ? goal.periodStart : at;
    return this.options.kpi.records({ definition, filter: goalScope(goal), period: { start: goal.periodStart, end }, ...page });
  }

  /**
   * Each group of `by` and its contribution to the gap against its share of
   * the goal's reference period (the previous period of the same length);
   * only for totals (linear or seasonal pacing), else an empty list.
   */
  async drivers(goal: Goal, asked: Date, by: Dimension): Promise<Driver[]> {
    const shape = await this.progress(goal, asked);
    const { definition } = shape;
    if (!definition || shape.pace.used === 'held' || shape.progress.expected === null || shape.elapsed.isZero()) return [];
    const reference = comparisonPeriod({ start: shape.period.start, end: shape.period.end }, 'previousPeriod', this.options.timeZone);
    const [actuals, previous] = await Promise.all([
      loadGoalBreakdown(this.options.kpi, definition, { start: shape.period.start, end: shape.at }, goalScope(goal), goalParams(goal), by),
      loadGoalBreakdown(this.options.kpi, definition, reference, goalScope(goal), goalParams(goal), by),
    ]);
    return driversOfGap(shape.progress.expected, actuals, previous, definition.direction);
  }

  private async compute(goal: Goal, asked: Date): Promise<GoalProgressShape> {
    const definition = this.definitionOf(goal);
    const period = { start: goal.periodStart, end: goal.periodEnd };
    const at = measuredAt(period, asked);
    const elapsed = elapsedFraction(period, at);
    const target = toDecimal(goal.target);
    const pacing = (goal.pacing as Pacing | null) ?? (definition ? kpiPacing(definition) : 'held');
    const children = await Promise.all((await this.children(goal.id)).map((child) => this.progress(child, asked)));
    let actual: KpiResult;
    if (!definition) actual = { value: null, reason: { code: 'NOT_APPLICABLE', message: `KPI "${goal.kpiKey}" is no longer registered.` } };
    else if (elapsed.isZero()) actual = { value: null, reason: { code: 'NOT_APPLICABLE', message: `The goal's period starts at ${period.start.toISOString()}.` } };
    else if (children.length > 0) actual = rollUp(children.map((child) => child.actual), isAdditive(definition));
    else actual = await this.value(goal, definition, { start: period.start, end: at });
    const pace = paceAt(pacing, elapsed, pacing === 'seasonal' && definition ? await this.seasonalReference(goal, definition, period, at) : null);
    if (!definition) {
      const progress: Progress = { status: 'NO_DATA', attainment: null, expected: null, projected: null };
      return { goal, definition, period, at, elapsed, target, actual, progress, pacing, pace, required: requiredToReach({ pace: { ...pace, used: 'held' }, direction: 'higher', target, actual: null, period, at }), gap: null, children };
    }
    const progress = computeProgress({ direction: definition.direction, additive: isAdditive(definition), target, actual: actual.value, elapsed, atRiskMargin: this.options.atRiskMargin, pace });
    const required = requiredToReach({ pace, direction: definition.direction, target, actual: actual.value, period, at });
    const gap = actual.value !== null && progress.expected !== null ? actual.value.minus(progress.expected) : null;
    return { goal, definition, period, at, elapsed, target, actual, progress, pacing, pace, required, gap, children };
  }

  /** The goal's KPI: the version of a workspace KPI the goal measures, else the plugin's. */
  private definitionOf(goal: Goal): KpiDefinition | undefined {
    return this.options.registry.get(goal.kpiVersion ? versionedKey(goal.kpiKey, goal.kpiVersion) : goal.kpiKey);
  }

  /** The same period a year earlier: its value up to the same point, and in whole. */
  private async seasonalReference(goal: Goal, definition: KpiDefinition, period: TimeRange, at: Date): Promise<{ toDate: Decimal | null; total: Decimal | null }> {
    const { timeZone } = this.options;
    const start = yearEarlier(period.start, timeZone);
    const [toDate, total] = await Promise.all([
      this.value(goal, definition, { start, end: yearEarlier(at, timeZone) }),
      this.value(goal, definition, { start, end: yearEarlier(period.end, timeZone) }),
    ]);
    return { toDate: toDate.value, total: total.value };
  }
}
