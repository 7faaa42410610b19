import type {
  CountMeasure,
  DistinctCountMeasure,
  Duration,
  MeanMeasure,
  NumericField,
  PercentileMeasure,
  PeriodEdge,
  SnapshotCountMeasure,
  SnapshotSumMeasure,
  SourceFields,
  SourceName,
  SumMeasure,
  TimeField,
  Where,
} from './measures.js';

/** Measure builders of one source, e.g. `deals.count({ time: 'closedAt' })`. */
export interface SourceBuilder<S extends SourceName> {
  count(options: { time: TimeField<S>; where?: Where<S> }): CountMeasure<S>;
  sum(options: { field: NumericField<S>; time: TimeField<S>; where?: Where<S> }): SumMeasure<S>;
  mean(options: { of: NumericField<S> | Duration<S>; time: TimeField<S>; where?: Where<S> }): MeanMeasure<S>;
  distinctCount(options: { field: SourceFields[S]['distinct']; time: TimeField<S>; where?: Where<S> }): DistinctCountMeasure<S>;
  snapshotCount(options: { at: PeriodEdge; from: TimeField<S>; until: TimeField<S>; where?: Where<S> }): SnapshotCountMeasure<S>;
  snapshotSum(options: {
    field: NumericField<S>;
    at: PeriodEdge;
    from: TimeField<S>;
    until: TimeField<S>;
    where?: Where<S>;
  }): SnapshotSumMeasure<S>;
  /**
   * The `p`-quantile of a field or duration (0.5: the median, 0.9: the 90th
   * percentile), exact; see PercentileMeasure.
   * @example deals.percentile(0.5, { of: 'amount', time: 'closedAt', where: { stage: 'WON' } })
   */
  percentile(
    p: number,
    options: { of: NumericField<S> | Duration<S>; time: TimeField<S>; where?: Where<S>; method?: 'continuous' | 'discrete' },
  ): PercentileMeasure<S>;
}

function sourceBuilder<S extends SourceName>(source: S): SourceBuilder<S> {
  const empty = {} as Where<S>;
  return {
    count: ({ time, where = empty }) => ({ kind: 'count', source, time, where }),
    sum: ({ field, time, where = empty }) => ({ kind: 'sum', source, field, time, where }),
    mean: ({ of, time, where = empty }) => ({ kind: 'mean', source, of, time, where }),
    distinctCount: ({ field, time, where = empty }) => ({ kind: 'distinctCount', source, field, time, where }),
    snapshotCount: ({ at, from, until, where = empty }) => ({ kind: 'snapshotCount', source, at, from, until, where }),
    snapshotSum: ({ field, at, from, until, where = empty }) => ({ kind: 'snapshotSum', source, field, at, from, until, where }),
    percentile: (p, { of, time, where = empty, method = 'continuous' }) => ({ kind: 'percentile', source, p, method, of, time, where }),
  };
}

/** Customers: leads, conversions, churn. */
export const customers = sourceBuilder('customers');
/** Deals: funnel, revenue, cycle. */
export const deals = sourceBuilder('deals');
/** Deal stage moves. */
export const stageEvents = sourceBuilder('stageEvents');
/** Calls, emails, meetings, visits. */
export const activities = sourceBuilder('activities');
/** Payments received. */
export const payments = sourceBuilder('payments');
/** NPS and CSAT answers. */
export const surveyResponses = sourceBuilder('surveyResponses');
/** Complaints, requests, incidents. */
export const tickets = sourceBuilder('tickets');
/** Marketing and sales spend. */
export const spend = sourceBuilder('spend');
/** CRM costs and benefits. */
export const ledger = sourceBuilder('ledger');
