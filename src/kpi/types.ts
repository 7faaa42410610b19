import type { Decimal } from 'decimal.js';

/** How a KPI's value is expressed. Rates are fractions (0.2 is 20 %). */
export type Unit = 'count' | 'money' | 'percent' | 'ratio' | 'days' | 'hours' | 'score';

/** Which way is better; `none` for KPIs that only describe. */
export type Direction = 'higher' | 'lower' | 'none';

/** Lifecycle stage of a business in a market, to recommend KPIs. */
export type LifecycleStage = 'launch' | 'growth' | 'mature';

/**
 * Dimensions a KPI can be filtered and broken down by. A record's team is its
 * owner's team; region, industry and channel are its customer's; product
 * line, deal type and campaign are the deal's (KPI_CATALOGUE.md).
 */
export type Dimension =
  | 'team'
  | 'owner'
  | 'channel'
  | 'region'
  | 'productLine'
  | 'industry'
  | 'dealType'
  | 'campaign'
  | 'stage'
  | 'rfmSegment';

export const allDimensions: readonly Dimension[] = [
  'team',
  'owner',
  'channel',
  'region',
  'productLine',
  'industry',
  'dealType',
  'campaign',
  'stage',
  'rfmSegment',
];

/**
 * Restricts the records a value is computed over: each listed dimension keeps
 * only records whose value is one of those given (ids as strings for team,
 * owner and campaign).
 */
export type DimensionFilter = Partial<Record<Dimension, readonly string[]>>;

/** A half-open time range `[start, end)`. */
export interface TimeRange {
  start: Date;
  end: Date;
}

/** Why a value is missing, e.g. a zero denominator. */
export interface NullReason {
  code: 'ZERO_DENOMINATOR' | 'NO_DATA' | 'NOT_APPLICABLE' | 'PLUGIN_ERROR' | 'TIMEOUT';
  message: string;
}

/**
 * What a formula returns: the value (exact decimal) or null with a reason,
 * and the measures behind it so the number can be explained.
 */
export interface KpiResult {
  value: Decimal | null;
  reason?: NullReason;
  numerator?: Decimal;
  denominator?: Decimal;
  /** How many records the value stands on (deals, answers, customers…). */
  sampleSize?: number;
  /** For a KPI computed from other KPIs: their values, by the names its formula gives them. */
  components?: readonly KpiComponent[];
}

/** One KPI a derived value was computed from, and its value. */
export interface KpiComponent {
  name: string;
  kpiKey: string;
  result: KpiResult;
}

export type { Decimal };
