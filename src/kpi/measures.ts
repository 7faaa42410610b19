/**
 * Declarative measures: what a KPI needs from the data, never how to get it.
 * The engine compiles them to parameterised SQL and merges measures that
 * share a source, time field and filter across every KPI, period and group
 * of a request into one statement.
 */

/** The edges of the period a value is computed for. */
export type PeriodEdge = 'start' | 'end';

/** A condition on an enum or text field. */
export type ValueCondition<V extends string> = V | { in: readonly V[] } | { notIn: readonly V[] };

/** A condition on an integer field. */
export interface NumberCondition {
  gte?: number;
  lte?: number;
  gt?: number;
  lt?: number;
}

/**
 * A condition on a timestamp, relative to the period asked for:
 * `{ set: true }` keeps rows where it is present; `{ before: 'end' }` keeps
 * rows where it is present and earlier than the period's end;
 * `{ atOrAfter: 'end', orNull: true }` keeps rows where it is absent or not
 * earlier than the end (e.g. "not churned before the end").
 */
export interface TimeCondition {
  set?: boolean;
  before?: PeriodEdge;
  atOrAfter?: PeriodEdge;
  orNull?: boolean;
}

/** Whether an optional reference (campaign) is present. */
export type PresenceCondition = 'set' | 'unset';

type CustomerStatus = 'LEAD' | 'PROSPECT' | 'CUSTOMER' | 'CHURNED';
type DealStage = 'LEAD' | 'QUALIFIED' | 'NEEDS_ANALYSIS' | 'PROPOSAL' | 'NEGOTIATION' | 'WON' | 'LOST';
type DealType = 'NEW' | 'RENEWAL' | 'UPSELL' | 'CROSS_SELL';

/**
 * Every measure source: its time fields, numeric fields (for sums and means),
 * durations (pairs of time fields), distinct-countable fields and filters.
 */
export interface SourceFields {
  customers: {
    time: 'createdAt' | 'qualifiedAt' | 'convertedAt' | 'churnedAt';
    numeric: never;
    distinct: 'id' | 'ownerId';
    where: {
      status?: ValueCondition<CustomerStatus>;
      channel?: ValueCondition<string>;
      region?: ValueCondition<string>;
      industry?: ValueCondition<string>;
      campaign?: PresenceCondition;
      qualifiedAt?: TimeCondition;
      convertedAt?: TimeCondition;
      churnedAt?: TimeCondition;
    };
  };
  deals: {
    time: 'createdAt' | 'closedAt' | 'expectedCloseAt';
    numeric: 'amount';
    distinct: 'id' | 'customerId' | 'ownerId';
    where: {
      stage?: ValueCondition<DealStage>;
      type?: ValueCondition<DealType>;
      productLine?: ValueCondition<string>;
      campaign?: PresenceCondition;
      closedAt?: TimeCondition;
    };
  };
  stageEvents: {
    time: 'at';
    numeric: never;
    distinct: 'id' | 'dealId';
    where: { fromStage?: ValueCondition<DealStage>; toStage?: ValueCondition<DealStage> };
  };
  activities: {
    time: 'at';
    numeric: never;
    distinct: 'id' | 'customerId' | 'dealId' | 'userId';
    where: { type?: ValueCondition<'CALL' | 'EMAIL' | 'MEETING' | 'VISIT'> };
  };
  payments: {
    time: 'paidAt';
    numeric: 'amount';
    distinct: 'id' | 'customerId' | 'dealId';
    where: Record<never, never>;
  };
  surveyResponses: {
    time: 'answeredAt';
    numeric: 'score';
    distinct: 'id' | 'customerId';
    where: { kind?: ValueCondition<'NPS' | 'CSAT'>; score?: NumberCondition };
  };
  tickets: {
    time: 'openedAt';
    numeric: never;
    distinct: 'id' | 'customerId';
    where: {
      kind?: ValueCondition<'COMPLAINT' | 'REQUEST' | 'INCIDENT'>;
      firstResponseAt?: TimeCondition;
      resolvedAt?: TimeCondition;
    };
  };
  spend: {
    time: 'date';
    numeric: 'amount';
    distinct: 'id' | 'campaignId';
    where: { category?: ValueCondition<'MARKETING' | 'SALES'>; channel?: ValueCondition<string>; campaign?: PresenceCondition };
  };
  ledger: {
    time: 'date';
    numeric: 'amount';
    distinct: 'id';
    where: { kind?: ValueCondition<'COST' | 'BENEFIT'>; category?: ValueCondition<string> };
  };
}

export type SourceName = keyof SourceFields;
export type TimeField<S extends SourceName> = SourceFields[S]['time'];
export type NumericField<S extends SourceName> = SourceFields[S]['numeric'];
export type Where<S extends SourceName> = SourceFields[S]['where'];

/** `to − from` of a row, in days or hours (exact, fractional). */
export interface Duration<S extends SourceName> {
  from: TimeField<S> | TimeFieldOf<S>;
  to: TimeField<S> | TimeFieldOf<S>;
  in: 'days' | 'hours';
}
/** Timestamps usable in durations, beyond the measure time fields. */
type TimeFieldOf<S extends SourceName> = S extends 'tickets' ? 'firstResponseAt' | 'resolvedAt' : never;

interface MeasureBase<S extends SourceName> {
  source: S;
  where: Where<S>;
}

/** Rows whose `time` falls in the period. */
export interface CountMeasure<S extends SourceName = SourceName> extends MeasureBase<S> {
  kind: 'count';
  time: TimeField<S>;
}
/** Sum of a decimal field over rows whose `time` falls in the period. */
export interface SumMeasure<S extends SourceName = SourceName> extends MeasureBase<S> {
  kind: 'sum';
  time: TimeField<S>;
  field: NumericField<S>;
}
/** Mean of a field or a duration: the engine fetches sum and count. */
export interface MeanMeasure<S extends SourceName = SourceName> extends MeasureBase<S> {
  kind: 'mean';
  time: TimeField<S>;
  of: NumericField<S> | Duration<S>;
}
/** Number of distinct values of a field over rows in the period. */
export interface DistinctCountMeasure<S extends SourceName = SourceName> extends MeasureBase<S> {
  kind: 'distinctCount';
  time: TimeField<S>;
  field: SourceFields[S]['distinct'];
}
/**
 * Rows alive at an edge `t` of the period: `from < t` and `until` absent or
 * not before `t` (e.g. open deals at the end; active customers at the start).
 */
export interface SnapshotCountMeasure<S extends SourceName = SourceName> extends MeasureBase<S> {
  kind: 'snapshotCount';
  at: PeriodEdge;
  from: TimeField<S>;
  until: TimeField<S>;
}
/** Sum of a decimal field over the same rows as a snapshot count. */
export interface SnapshotSumMeasure<S extends SourceName = SourceName> extends MeasureBase<S> {
  kind: 'snapshotSum';
  at: PeriodEdge;
  from: TimeField<S>;
  until: TimeField<S>;
  field: NumericField<S>;
}

/**
 * The `p`-quantile (0 ≤ p ≤ 1; 0.5 is the median) of a field or a duration
 * over rows whose `time` falls in the period, computed exactly in the
 * database: interpolated between the two nearest values (`continuous`, the
 * default, as percentile_cont) or the nearest value itself (`discrete`, as
 * percentile_disc). Rows without a value are left out; the formula gets the
 * value and the number of rows it stands on.
 */
export interface PercentileMeasure<S extends SourceName = SourceName> extends MeasureBase<S> {
  kind: 'percentile';
  p: number;
  method: 'continuous' | 'discrete';
  time: TimeField<S>;
  of: NumericField<S> | Duration<S>;
}

export type Measure<S extends SourceName = SourceName> =
  | CountMeasure<S>
  | SumMeasure<S>
  | MeanMeasure<S>
  | DistinctCountMeasure<S>
  | SnapshotCountMeasure<S>
  | SnapshotSumMeasure<S>
  | PercentileMeasure<S>;
