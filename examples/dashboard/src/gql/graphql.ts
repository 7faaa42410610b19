/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What happened to a goal. */
export type GoalEventKind =
  /** Its status changed (oldStatus → newStatus). */
  | 'STATUS_CHANGED'
  /** Its attainment reached a threshold (50 %, 100 %, or 150 standing for the stretch target). */
  | 'THRESHOLD_CROSSED';

/** How a goal expects its KPI to move through the period. LINEAR: a total growing evenly from 0 to the target (projected by run-rate). HELD: a rate or level judged as it stands (expected = target; projected = the current value). SEASONAL: a total growing like the same period a year earlier did (expected = target × last year’s share by the same point; falls back to LINEAR with a warning without last year’s value). */
export type GoalPacing =
  /** A rate or level judged as it stands: expected is the target, projected the current value. */
  | 'HELD'
  /** A total growing evenly from 0 to the target; projected by run-rate. */
  | 'LINEAR'
  /** A total growing as the same period a year earlier did; linear, with a warning, without last year’s value. */
  | 'SEASONAL';

/** ON_TRACK, AT_RISK or OFF_TRACK while the period runs (by the projection against the target, with the at-risk margin); ACHIEVED early for an additive total that reached a higher-is-better target; ACHIEVED or MISSED once the period ended; NOT_STARTED before it; NO_DATA when the KPI has no value (see reason). */
export type GoalStatus =
  /** The target is reached. */
  | 'ACHIEVED'
  /** The projection falls short by less than the at-risk margin. */
  | 'AT_RISK'
  /** The period ended short of the target. */
  | 'MISSED'
  /** The period has not begun. */
  | 'NOT_STARTED'
  /** No value to judge yet (see the reason). */
  | 'NO_DATA'
  /** The projection falls short by more than the margin. */
  | 'OFF_TRACK'
  /** The projection reaches the target. */
  | 'ON_TRACK';

/** Which way is better; NONE for KPIs that only describe. */
export type KpiDirection =
  /** Higher is better. */
  | 'HIGHER'
  /** Lower is better (e.g. churn, cycle time). */
  | 'LOWER'
  /** Neither: the KPI only describes; it has no status. */
  | 'NONE';

/** How to read a KPI’s values. */
export type KpiUnit =
  /** A number of things, e.g. deals. */
  | 'COUNT'
  /** A duration in days. */
  | 'DAYS'
  /** A duration in hours. */
  | 'HOURS'
  /** An amount in the workspace currency; `exact` holds the decimal. */
  | 'MONEY'
  /** A rate as a fraction: 0.25 means 25 %. */
  | 'PERCENT'
  /** A plain ratio, e.g. 3.2 (LTV to CAC). */
  | 'RATIO'
  /** A score on the KPI’s own scale, e.g. NPS from −100 to 100. */
  | 'SCORE';

/** A period relative to now, in the workspace’s time zone. */
export type NamedPeriod =
  /** The previous calendar month, whole. */
  | 'LAST_MONTH'
  /** The previous calendar quarter, whole. */
  | 'LAST_QUARTER'
  /** The previous ISO week, whole. */
  | 'LAST_WEEK'
  /** The previous calendar year, whole. */
  | 'LAST_YEAR'
  /** The calendar month from its first day to now. */
  | 'MONTH_TO_DATE'
  /** The calendar quarter from its first day to now. */
  | 'QUARTER_TO_DATE'
  /** The calendar month, whole (days to come included). */
  | 'THIS_MONTH'
  /** The calendar quarter, whole (days to come included). */
  | 'THIS_QUARTER'
  /** The ISO week (Monday to Sunday) so far and to come. */
  | 'THIS_WEEK'
  /** The calendar year, whole (days to come included). */
  | 'THIS_YEAR'
  /** Today, from midnight to midnight. */
  | 'TODAY'
  /** The calendar year from 1 January to now. */
  | 'YEAR_TO_DATE'
  /** Yesterday, whole. */
  | 'YESTERDAY';

/** Exactly one of: named; start and end (end exclusive); trailingDays. */
export type PeriodInput = {
  /** Exclusive. */
  end?: string | null | undefined;
  /** A calendar period in the workspace time zone, e.g. LAST_QUARTER. */
  named?: NamedPeriod | null | undefined;
  /** Start, inclusive; give with end. */
  start?: string | null | undefined;
  /** The last N days, today included (1–36600; the maximum range applies too). */
  trailingDays?: number | null | undefined;
};

/** A KPI value against its target, respecting the KPI’s direction. */
export type TargetStatus =
  /** The KPI has no target here (or describes only). */
  | 'NO_TARGET'
  /** There is no value (see reason). */
  | 'NO_VALUE'
  /** Worse than the target. */
  | 'OFF_TARGET'
  /** At or better than the target. */
  | 'ON_TARGET';

export type DashboardFunnelQueryVariables = Exact<{
  period: PeriodInput;
}>;


export type DashboardFunnelQuery = { kpi: { name: string, lead: { value: number | null, numerator: string | null, denominator: string | null, reason: { message: string } | null }, qualified: { value: number | null, numerator: string | null, denominator: string | null, reason: { message: string } | null }, needsAnalysis: { value: number | null, numerator: string | null, denominator: string | null, reason: { message: string } | null }, proposal: { value: number | null, numerator: string | null, denominator: string | null, reason: { message: string } | null }, negotiation: { value: number | null, numerator: string | null, denominator: string | null, reason: { message: string } | null } } };

export type FunnelStepFragment = { value: number | null, numerator: string | null, denominator: string | null, reason: { message: string } | null };

export type DashboardGoalEventsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashboardGoalEventsSubscription = { goalEvents: { id: string, kind: GoalEventKind, goalId: string, kpiKey: string, oldStatus: GoalStatus | null, newStatus: GoalStatus, threshold: number | null, attainment: number | null, occurredAt: string, goal: { description: string } | null } };

export type DashboardGoalsQueryVariables = Exact<{
  at: string;
}>;


export type DashboardGoalsQuery = { goals: { totalCount: number, edges: Array<{ node: { id: string, description: string, kpiKey: string, ownerKind: string, kpi: { name: string, unit: KpiUnit } | null, owner: { name: string } | null, team: { name: string } | null, period: { start: string, end: string }, progress: { at: string, actual: number | null, expected: number | null, projected: number | null, target: number, attainment: number | null, status: GoalStatus, pacing: GoalPacing, additive: boolean, rolledUp: boolean, series: Array<{ end: string, value: number | null }> } } }> } };

export type DashboardGoalFragment = { id: string, description: string, kpiKey: string, ownerKind: string, kpi: { name: string, unit: KpiUnit } | null, owner: { name: string } | null, team: { name: string } | null, period: { start: string, end: string }, progress: { at: string, actual: number | null, expected: number | null, projected: number | null, target: number, attainment: number | null, status: GoalStatus, pacing: GoalPacing, additive: boolean, rolledUp: boolean, series: Array<{ end: string, value: number | null }> } };

export type DashboardKpisQueryVariables = Exact<{
  keys: Array<string> | string;
  period: PeriodInput;
  range: PeriodInput;
}>;


export type DashboardKpisQuery = { workspace: { name: string, currency: string, timeZone: string }, kpis: Array<{ key: string, name: string, unit: KpiUnit, direction: KpiDirection, value: { value: number | null, exact: string | null, target: number | null, status: TargetStatus, reason: { code: string, message: string } | null }, series: Array<{ start: string, value: { value: number | null } }> }> };

export type DashboardRfmQueryVariables = Exact<{
  period: PeriodInput;
}>;


export type DashboardRfmQuery = { kpi: { name: string, breakdown: Array<{ key: string | null, label: string, value: { value: number | null, numerator: string | null, denominator: string | null } }> } };

export type DashboardTrendQueryVariables = Exact<{
  key: string;
  range: PeriodInput;
}>;


export type DashboardTrendQuery = { kpi: { key: string, name: string, unit: KpiUnit, series: Array<{ start: string, breakdown: Array<{ key: string | null, label: string, value: { value: number | null } }> }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const FunnelStepFragmentDoc = new TypedDocumentString(`
    fragment FunnelStep on KpiValue {
  value
  numerator
  denominator
  reason {
    message
  }
}
    `, {"fragmentName":"FunnelStep"}) as unknown as TypedDocumentString<FunnelStepFragment, unknown>;
export const DashboardGoalFragmentDoc = new TypedDocumentString(`
    fragment DashboardGoal on Goal {
  id
  description
  kpiKey
  ownerKind
  kpi {
    name
    unit
  }
  owner {
    name
  }
  team {
    name
  }
  period {
    start
    end
  }
  progress(at: $at) {
    at
    actual
    expected
    projected
    target
    attainment
    status
    pacing
    additive
    rolledUp
    series(grain: WEEK) {
      end
      value
    }
  }
}
    `, {"fragmentName":"DashboardGoal"}) as unknown as TypedDocumentString<DashboardGoalFragment, unknown>;
export const DashboardFunnelDocument = new TypedDocumentString(`
    query DashboardFunnel($period: PeriodInput!) {
  kpi(key: "stage_conversion") {
    name
    lead: value(period: $period, params: {stage: "LEAD"}) {
      ...FunnelStep
    }
    qualified: value(period: $period, params: {stage: "QUALIFIED"}) {
      ...FunnelStep
    }
    needsAnalysis: value(period: $period, params: {stage: "NEEDS_ANALYSIS"}) {
      ...FunnelStep
    }
    proposal: value(period: $period, params: {stage: "PROPOSAL"}) {
      ...FunnelStep
    }
    negotiation: value(period: $period, params: {stage: "NEGOTIATION"}) {
      ...FunnelStep
    }
  }
}
    fragment FunnelStep on KpiValue {
  value
  numerator
  denominator
  reason {
    message
  }
}`, {"hash":"sha256:08a322d0487ec0c2b391118c472ea998d4e02e3e59baf64639c7f3ac84cc8ac2"}) as unknown as TypedDocumentString<DashboardFunnelQuery, DashboardFunnelQueryVariables>;
export const DashboardGoalEventsDocument = new TypedDocumentString(`
    subscription DashboardGoalEvents {
  goalEvents {
    id
    kind
    goalId
    kpiKey
    oldStatus
    newStatus
    threshold
    attainment
    occurredAt
    goal {
      description
    }
  }
}
    `, {"hash":"sha256:6b0ab69e3a9d1c67816b8c794f088f522307e3a1e15be81f24ecaaf4f9496f76"}) as unknown as TypedDocumentString<DashboardGoalEventsSubscription, DashboardGoalEventsSubscriptionVariables>;
export const DashboardGoalsDocument = new TypedDocumentString(`
    query DashboardGoals($at: DateTime!) {
  goals(first: 50, filter: {activeAt: $at}, at: $at) {
    totalCount
    edges {
      node {
        ...DashboardGoal
      }
    }
  }
}
    fragment DashboardGoal on Goal {
  id
  description
  kpiKey
  ownerKind
  kpi {
    name
    unit
  }
  owner {
    name
  }
  team {
    name
  }
  period {
    start
    end
  }
  progress(at: $at) {
    at
    actual
    expected
    projected
    target
    attainment
    status
    pacing
    additive
    rolledUp
    series(grain: WEEK) {
      end
      value
    }
  }
}`, {"hash":"sha256:51cbf1f9584002a15cd96d979873b8f7a324ccf5af5719d240d5f1eda34b6645"}) as unknown as TypedDocumentString<DashboardGoalsQuery, DashboardGoalsQueryVariables>;
export const DashboardKpisDocument = new TypedDocumentString(`
    query DashboardKpis($keys: [String!]!, $period: PeriodInput!, $range: PeriodInput!) {
  workspace {
    name
    currency
    timeZone
  }
  kpis(keys: $keys) {
    key
    name
    unit
    direction
    value(period: $period) {
      value
      exact
      target
      status
      reason {
        code
        message
      }
    }
    series(range: $range, grain: MONTH) {
      start
      value {
        value
      }
    }
  }
}
    `, {"hash":"sha256:6f91e87cc94d1b9f60a2e24582f824e80ea1cd7e91c162d5fe9a42c2ec9e720c"}) as unknown as TypedDocumentString<DashboardKpisQuery, DashboardKpisQueryVariables>;
export const DashboardRfmDocument = new TypedDocumentString(`
    query DashboardRfm($period: PeriodInput!) {
  kpi(key: "rfm_segment_share") {
    name
    breakdown(by: RFM_SEGMENT, period: $period) {
      key
      label
      value {
        value
        numerator
        denominator
      }
    }
  }
}
    `, {"hash":"sha256:645ae7a8b48531c9351d6ea90fb5bd99e4d7af230293ae79538d365e6ee7827e"}) as unknown as TypedDocumentString<DashboardRfmQuery, DashboardRfmQueryVariables>;
export const DashboardTrendDocument = new TypedDocumentString(`
    query DashboardTrend($key: String!, $range: PeriodInput!) {
  kpi(key: $key) {
    key
    name
    unit
    series(range: $range, grain: MONTH, by: TEAM) {
      start
      breakdown {
        key
        label
        value {
          value
        }
      }
    }
  }
}
    `, {"hash":"sha256:3d228e79af1e1caecb287e6d27641798901b0e248918216e2b0bc9fbc1ae9c3d"}) as unknown as TypedDocumentString<DashboardTrendQuery, DashboardTrendQueryVariables>;