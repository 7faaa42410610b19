/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query DashboardFunnel($period: PeriodInput!) {\n  kpi(key: \"stage_conversion\") {\n    name\n    lead: value(period: $period, params: {stage: \"LEAD\"}) {\n      ...FunnelStep\n    }\n    qualified: value(period: $period, params: {stage: \"QUALIFIED\"}) {\n      ...FunnelStep\n    }\n    needsAnalysis: value(period: $period, params: {stage: \"NEEDS_ANALYSIS\"}) {\n      ...FunnelStep\n    }\n    proposal: value(period: $period, params: {stage: \"PROPOSAL\"}) {\n      ...FunnelStep\n    }\n    negotiation: value(period: $period, params: {stage: \"NEGOTIATION\"}) {\n      ...FunnelStep\n    }\n  }\n}\n\nfragment FunnelStep on KpiValue {\n  value\n  numerator\n  denominator\n  reason {\n    message\n  }\n}": typeof types.DashboardFunnelDocument,
    "subscription DashboardGoalEvents {\n  goalEvents {\n    id\n    kind\n    goalId\n    kpiKey\n    oldStatus\n    newStatus\n    threshold\n    attainment\n    occurredAt\n    goal {\n      description\n    }\n  }\n}": typeof types.DashboardGoalEventsDocument,
    "query DashboardGoals($at: DateTime!) {\n  goals(first: 50, filter: {activeAt: $at}, at: $at) {\n    totalCount\n    edges {\n      node {\n        ...DashboardGoal\n      }\n    }\n  }\n}\n\nfragment DashboardGoal on Goal {\n  id\n  description\n  kpiKey\n  ownerKind\n  kpi {\n    name\n    unit\n  }\n  owner {\n    name\n  }\n  team {\n    name\n  }\n  period {\n    start\n    end\n  }\n  progress(at: $at) {\n    at\n    actual\n    expected\n    projected\n    target\n    attainment\n    status\n    pacing\n    additive\n    rolledUp\n    series(grain: WEEK) {\n      end\n      value\n    }\n  }\n}": typeof types.DashboardGoalsDocument,
    "query DashboardKpis($keys: [String!]!, $period: PeriodInput!, $range: PeriodInput!) {\n  workspace {\n    name\n    currency\n    timeZone\n  }\n  kpis(keys: $keys) {\n    key\n    name\n    unit\n    direction\n    value(period: $period) {\n      value\n      exact\n      target\n      status\n      reason {\n        code\n        message\n      }\n    }\n    series(range: $range, grain: MONTH) {\n      start\n      value {\n        value\n      }\n    }\n  }\n}": typeof types.DashboardKpisDocument,
    "query DashboardRfm($period: PeriodInput!) {\n  kpi(key: \"rfm_segment_share\") {\n    name\n    breakdown(by: RFM_SEGMENT, period: $period) {\n      key\n      label\n      value {\n        value\n        numerator\n        denominator\n      }\n    }\n  }\n}": typeof types.DashboardRfmDocument,
    "query DashboardTrend($key: String!, $range: PeriodInput!) {\n  kpi(key: $key) {\n    key\n    name\n    unit\n    series(range: $range, grain: MONTH, by: TEAM) {\n      start\n      breakdown {\n        key\n        label\n        value {\n          value\n        }\n      }\n    }\n  }\n}": typeof types.DashboardTrendDocument,
};
const documents: Documents = {
    "query DashboardFunnel($period: PeriodInput!) {\n  kpi(key: \"stage_conversion\") {\n    name\n    lead: value(period: $period, params: {stage: \"LEAD\"}) {\n      ...FunnelStep\n    }\n    qualified: value(period: $period, params: {stage: \"QUALIFIED\"}) {\n      ...FunnelStep\n    }\n    needsAnalysis: value(period: $period, params: {stage: \"NEEDS_ANALYSIS\"}) {\n      ...FunnelStep\n    }\n    proposal: value(period: $period, params: {stage: \"PROPOSAL\"}) {\n      ...FunnelStep\n    }\n    negotiation: value(period: $period, params: {stage: \"NEGOTIATION\"}) {\n      ...FunnelStep\n    }\n  }\n}\n\nfragment FunnelStep on KpiValue {\n  value\n  numerator\n  denominator\n  reason {\n    message\n  }\n}": types.DashboardFunnelDocument,
    "subscription DashboardGoalEvents {\n  goalEvents {\n    id\n    kind\n    goalId\n    kpiKey\n    oldStatus\n    newStatus\n    threshold\n    attainment\n    occurredAt\n    goal {\n      description\n    }\n  }\n}": types.DashboardGoalEventsDocument,
    "query DashboardGoals($at: DateTime!) {\n  goals(first: 50, filter: {activeAt: $at}, at: $at) {\n    totalCount\n    edges {\n      node {\n        ...DashboardGoal\n      }\n    }\n  }\n}\n\nfragment DashboardGoal on Goal {\n  id\n  description\n  kpiKey\n  ownerKind\n  kpi {\n    name\n    unit\n  }\n  owner {\n    name\n  }\n  team {\n    name\n  }\n  period {\n    start\n    end\n  }\n  progress(at: $at) {\n    at\n    actual\n    expected\n    projected\n    target\n    attainment\n    status\n    pacing\n    additive\n    rolledUp\n    series(grain: WEEK) {\n      end\n      value\n    }\n  }\n}": types.DashboardGoalsDocument,
    "query DashboardKpis($keys: [String!]!, $period: PeriodInput!, $range: PeriodInput!) {\n  workspace {\n    name\n    currency\n    timeZone\n  }\n  kpis(keys: $keys) {\n    key\n    name\n    unit\n    direction\n    value(period: $period) {\n      value\n      exact\n      target\n      status\n      reason {\n        code\n        message\n      }\n    }\n    series(range: $range, grain: MONTH) {\n      start\n      value {\n        value\n      }\n    }\n  }\n}": types.DashboardKpisDocument,
    "query DashboardRfm($period: PeriodInput!) {\n  kpi(key: \"rfm_segment_share\") {\n    name\n    breakdown(by: RFM_SEGMENT, period: $period) {\n      key\n      label\n      value {\n        value\n        numerator\n        denominator\n      }\n    }\n  }\n}": types.DashboardRfmDocument,
    "query DashboardTrend($key: String!, $range: PeriodInput!) {\n  kpi(key: $key) {\n    key\n    name\n    unit\n    series(range: $range, grain: MONTH, by: TEAM) {\n      start\n      breakdown {\n        key\n        label\n        value {\n          value\n        }\n      }\n    }\n  }\n}": types.DashboardTrendDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DashboardFunnel($period: PeriodInput!) {\n  kpi(key: \"stage_conversion\") {\n    name\n    lead: value(period: $period, params: {stage: \"LEAD\"}) {\n      ...FunnelStep\n    }\n    qualified: value(period: $period, params: {stage: \"QUALIFIED\"}) {\n      ...FunnelStep\n    }\n    needsAnalysis: value(period: $period, params: {stage: \"NEEDS_ANALYSIS\"}) {\n      ...FunnelStep\n    }\n    proposal: value(period: $period, params: {stage: \"PROPOSAL\"}) {\n      ...FunnelStep\n    }\n    negotiation: value(period: $period, params: {stage: \"NEGOTIATION\"}) {\n      ...FunnelStep\n    }\n  }\n}\n\nfragment FunnelStep on KpiValue {\n  value\n  numerator\n  denominator\n  reason {\n    message\n  }\n}"): typeof import('./graphql.js').DashboardFunnelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription DashboardGoalEvents {\n  goalEvents {\n    id\n    kind\n    goalId\n    kpiKey\n    oldStatus\n    newStatus\n    threshold\n    attainment\n    occurredAt\n    goal {\n      description\n    }\n  }\n}"): typeof import('./graphql.js').DashboardGoalEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DashboardGoals($at: DateTime!) {\n  goals(first: 50, filter: {activeAt: $at}, at: $at) {\n    totalCount\n    edges {\n      node {\n        ...DashboardGoal\n      }\n    }\n  }\n}\n\nfragment DashboardGoal on Goal {\n  id\n  description\n  kpiKey\n  ownerKind\n  kpi {\n    name\n    unit\n  }\n  owner {\n    name\n  }\n  team {\n    name\n  }\n  period {\n    start\n    end\n  }\n  progress(at: $at) {\n    at\n    actual\n    expected\n    projected\n    target\n    attainment\n    status\n    pacing\n    additive\n    rolledUp\n    series(grain: WEEK) {\n      end\n      value\n    }\n  }\n}"): typeof import('./graphql.js').DashboardGoalsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DashboardKpis($keys: [String!]!, $period: PeriodInput!, $range: PeriodInput!) {\n  workspace {\n    name\n    currency\n    timeZone\n  }\n  kpis(keys: $keys) {\n    key\n    name\n    unit\n    direction\n    value(period: $period) {\n      value\n      exact\n      target\n      status\n      reason {\n        code\n        message\n      }\n    }\n    series(range: $range, grain: MONTH) {\n      start\n      value {\n        value\n      }\n    }\n  }\n}"): typeof import('./graphql.js').DashboardKpisDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DashboardRfm($period: PeriodInput!) {\n  kpi(key: \"rfm_segment_share\") {\n    name\n    breakdown(by: RFM_SEGMENT, period: $period) {\n      key\n      label\n      value {\n        value\n        numerator\n        denominator\n      }\n    }\n  }\n}"): typeof import('./graphql.js').DashboardRfmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DashboardTrend($key: String!, $range: PeriodInput!) {\n  kpi(key: $key) {\n    key\n    name\n    unit\n    series(range: $range, grain: MONTH, by: TEAM) {\n      start\n      breakdown {\n        key\n        label\n        value {\n          value\n        }\n      }\n    }\n  }\n}"): typeof import('./graphql.js').DashboardTrendDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
