import type { Decimal } from 'decimal.js';
import type { z } from 'zod';
import type { Measure } from './measures.js';
import type { Dimension, DimensionFilter, Direction, KpiResult, LifecycleStage, TimeRange, Unit } from './types.js';

/** The value a formula receives for a measure, by the measure's kind. */
export type MeasureValue<M extends Measure> = M['kind'] extends 'count' | 'distinctCount' | 'snapshotCount'
  ? number
  : M['kind'] extends 'sum' | 'snapshotSum'
    ? Decimal
    : M['kind'] extends 'percentile'
      ? PercentileValue
      : MeanValue;

/** A percentile: the value (null when no row has one) and the number of rows it stands on. */
export interface PercentileValue {
  value: Decimal | null;
  count: number;
}

/** A mean's parts, so that its formula can explain itself. */
export interface MeanValue {
  sum: Decimal;
  count: number;
}

export type MeasureValues<I extends Record<string, Measure>> = { [K in keyof I]: MeasureValue<I[K]> };

/** How goals expect a KPI to move through their period; see `pacing` on a KPI definition. */
export type Pacing = 'linear' | 'held' | 'seasonal';

/** A params schema: a zod object, so that it has named fields and JSON Schema. */
export type ParamsSchema = z.ZodObject;

/**
 * Default targets, in the KPI's unit (a fraction for percent). `per` makes an
 * additive target scale with the period (100 valid leads per month is 300 a
 * quarter).
 */
export interface TargetSpec {
  default?: number;
  byStage?: Partial<Record<LifecycleStage, number>>;
  per?: 'day' | 'week' | 'month' | 'quarter' | 'year';
}

/** What every formula and compute function is told besides its measures. */
export interface KpiContext<P> {
  params: P;
  period: TimeRange;
}

/** The key of a group in a breakdown; `'*'` when the cell is not grouped. */
export type GroupKey = string;
export const ungrouped: GroupKey = '*';
/** The key of a group whose dimension has no value, e.g. deals of an owner without a team. */
export const missingGroupKey: GroupKey = '(none)';

/** One value asked for: a KPI over a period, filtered, optionally grouped. */
export interface KpiCell<P = Record<string, unknown>> {
  period: TimeRange;
  filter: DimensionFilter;
  params: P;
  groupBy: Dimension | null;
  /** A second dimension (inputs KPIs only): group keys are then pairs, see grouping.ts. */
  thenBy?: Dimension;
}

/** The values of one cell: one per group, or one under `'*'`. */
export type CellValues = ReadonlyMap<GroupKey, KpiResult>;

/**
 * What a `compute` plugin may do: run SQL over its workspace's rows only.
 * Tables are named as `{{customers}}`, `{{deals}}`, `{{stageEvents}}`,
 * `{{activities}}`, `{{payments}}`, `{{surveyResponses}}`, `{{tickets}}`,
 * `{{spend}}`, `{{ledger}}`, `{{users}}` and the engine substitutes
 * workspace-scoped relations; naming a table directly is refused.
 */
export interface ComputeContext {
  workspaceId: number;
  timeZone: string;
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /**
   * SQL for a dimension's value of a row of `source` aliased `alias`, and the
   * joins it needs, e.g. a payment's team through its customer's owner.
   */
  dimension(source: 'customers' | 'deals' | 'stageEvents' | 'activities' | 'payments' | 'surveyResponses' | 'tickets', alias: string, dimension: Dimension): { joins: string; expression: string };
  /**
   * SQL restricting rows of `source` aliased `alias` to a cell's filter, and
   * the text expression of its group-by (`'*'` when ungrouped). Filter values
   * are appended to `params` and referenced as `$n`. Dimensions in `skip`
   * (e.g. 'stage', 'rfmSegment') are left to the plugin.
   */
  scope(
    source: 'customers' | 'deals' | 'stageEvents' | 'activities' | 'payments' | 'surveyResponses' | 'tickets',
    alias: string,
    cell: Pick<KpiCell, 'filter' | 'groupBy'>,
    params: unknown[],
    options?: { skip?: readonly Dimension[] },
  ): { joins: string; where: string; groupExpression: string };
}

/** What every kind of KPI declares besides how it is computed. */
export interface KpiBase<P extends ParamsSchema> {
  /** snake_case, unique across all plugins. */
  key: string;
  name: string;
  description: string;
  unit: Unit;
  direction: Direction;
  stages: readonly LifecycleStage[];
  dimensions: readonly Dimension[];
  params?: P;
  target?: TargetSpec;
  /**
   * Whether values over consecutive periods add up to the value over their
   * union (counts and sums do; averages, ratios and snapshots do not). Goals
   * pace additive KPIs on a straight line and project them by run-rate.
   * Defaults from the unit: true for count and money, false otherwise.
   */
  additive?: boolean;
  /**
   * How a goal on this KPI expects it to move through the goal's period
   * (a goal may override it):
   *
   * - `'linear'`: a total that grows evenly, from 0 at the start to the
   *   target at the end; projected by run-rate. The default for additive KPIs.
   * - `'held'`: a rate or level judged as it stands: expected = target all
   *   along; projected = the current value. The default otherwise.
   * - `'seasonal'`: a total that grows like the same period a year earlier
   *   did: expected = target × (last year's value up to the same point ÷
   *   last year's total). Falls back to linear, with a warning, when last
   *   year has no value.
   *
   * Worked example: a quarterly goal of 300 won deals, 45 days into a
   * 90-day quarter. Linear expects 300 × 45/90 = 150. Seasonal, when last
   * year's quarter had 200 wins of which 80 came in its first 45 days,
   * expects 300 × 80/200 = 120; 130 wins so far is then ahead of pace, and
   * the projection is 130 × 200/80 = 325.
   *
   * ```ts
   * defineKpi({ key: 'won_deals_per_rep', unit: 'ratio', pacing: 'linear', … })
   * ```
   */
  pacing?: Pacing;
  /**
   * The values the KPI can take, used to check goal targets. Defaults to
   * [0, 1] for percent KPIs (shares); a return on investment, say, can
   * exceed 100 % and sets `{ min: -1 }`.
   */
  valueRange?: { min?: number; max?: number };
  /** How long one batch of this KPI may take before its fields fail. */
  timeoutMs?: number;
}

export interface InputsKpiSpec<P extends ParamsSchema, I extends Record<string, Measure>> extends KpiBase<P> {
  inputs: I;
  /** Pure and synchronous. A zero denominator gives `null` with a reason. */
  formula: (values: MeasureValues<I>, context: KpiContext<z.infer<P>>) => KpiResult;
}

export interface ComputeKpiSpec<P extends ParamsSchema> extends KpiBase<P> {
  /**
   * Computes many cells at once; returns their values in the cells' order.
   * An Error in place of a cell's values fails that cell only (a
   * KpiInputError becomes a bad-input error for the caller).
   */
  compute: (cells: readonly KpiCell<z.infer<P>>[], context: ComputeContext) => Promise<readonly (CellValues | Error)[]>;
}

/** A KPI plugin as the registry holds it. */
export type KpiDefinition =
  | (InputsKpiSpec<ParamsSchema, Record<string, Measure>> & { kind: 'inputs' })
  | (ComputeKpiSpec<ParamsSchema> & { kind: 'compute' });

/**
 * Declares a KPI plugin: data plus a pure formula over declarative `inputs`,
 * or a batched `compute` for KPIs that need their own query. The formula's
 * argument is typed from `inputs`.
 *
 * @example
 * export default defineKpi({
 *   key: 'win_rate', name: 'Win rate', description: 'Share of closed deals that were won',
 *   unit: 'percent', direction: 'higher', stages: ['growth'], dimensions: ['team', 'region'],
 *   inputs: {
 *     won: deals.count({ time: 'closedAt', where: { stage: 'WON' } }),
 *     closed: deals.count({ time: 'closedAt', where: { stage: { in: ['WON', 'LOST'] } } }),
 *   },
 *   formula: ({ won, closed }) => ratio(won, closed),
 * });
 *
 * A derived KPI names other KPIs instead, and its formula gets their values:
 *
 * @example
 * export default defineKpi({
 *   key: 'ltv_cac_ratio', ..., unit: 'ratio', dimensions: ['channel'],
 *   derived: { ltv: 'ltv', cac: 'cac' },
 *   formula: ({ ltv, cac }) => ratio(ltv, cac, 'the customer acquisition cost'),
 * });
 */
export function defineKpi<P extends ParamsSchema, const I extends Record<string, Measure>>(
  spec: InputsKpiSpec<P, I>,
): KpiDefinition;
export function defineKpi<P extends ParamsSchema>(spec: ComputeKpiSpec<P>): KpiDefinition;
export function defineKpi<P extends ParamsSchema, const C extends Record<string, string>>(spec: DerivedKpiSpec<P, C>): DerivedKpiDefinition;
export function defineKpi(
  spec: InputsKpiSpec<ParamsSchema, Record<string, Measure>> | ComputeKpiSpec<ParamsSchema> | DerivedKpiSpec<ParamsSchema, Record<string, string>>,
): KpiDefinition | DerivedKpiDefinition {
  if ('compute' in spec) return { ...spec, kind: 'compute' };
  if ('derived' in spec) return { ...(spec as DerivedKpiSpec<ParamsSchema, Record<string, string>>), kind: 'derived' };
  return { ...spec, kind: 'inputs' };
}

/*
 * Derived KPIs (derived.ts resolves them): a KPI defined from other KPIs
 * by a formula over their values.
 */

export interface DerivedKpiSpec<P extends ParamsSchema, C extends Record<string, string>> extends KpiBase<P> {
  /**
   * The KPIs this one is computed from: the name the formula gives each,
   * mapped to its KPI key. Only KPIs with `inputs` (or derived ones) can be
   * components. The derived KPI's params are passed on to each component
   * that declares a parameter of the same name.
   */
  derived: C;
  /**
   * Pure and synchronous, over the components' values. It runs only when
   * every component has a value: otherwise the result is null with the
   * first missing component's reason.
   */
  formula: (values: { [K in keyof C]: Decimal }, context: KpiContext<z.infer<P>>) => KpiResult;
}

/** A derived KPI as defineKpi returns it, before the registry resolves its components. */
export type DerivedKpiDefinition = DerivedKpiSpec<ParamsSchema, Record<string, string>> & {
  kind: 'derived';
  /**
   * Combines the components' results, missing ones included, in place of
   * the formula (which then never runs): a workspace formula with
   * `coalesce` must see a missing component rather than stop at it.
   */
  combine?: (results: Readonly<Record<string, KpiResult>>, context: KpiContext<Record<string, unknown>>) => KpiResult;
};

/** What a plugin module exports: a KPI, or a derived KPI the registry resolves from its components. */
export type KpiPlugin = KpiDefinition | DerivedKpiDefinition;
