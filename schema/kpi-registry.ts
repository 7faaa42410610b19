// Generated from the KPI registry by `npm run codegen` (scripts/kpi-types.ts): do not edit.
// Units and directions are spelled as the API's KpiUnit and KpiDirection enums.

/** Every KPI key of the registry. */
export const kpiKeys = [
  'new_leads',
  'valid_leads',
  'new_customers',
  'lead_conversion_rate',
  'cac',
  'calls_per_lead',
  'referrals',
  'campaign_revenue',
  'campaign_new_customers',
  'won_revenue',
  'win_rate',
  'avg_deal_size',
  'median_deal_size',
  'sales_cycle_days',
  'sales_cycle_p90_days',
  'open_deals',
  'pipeline_value',
  'stage_share',
  'stage_conversion',
  'new_revenue',
  'cross_sell_ratio',
  'active_customers',
  'churn_rate',
  'retention_rate',
  'repurchase_rate',
  'arpa',
  'ltv',
  'ltv_cac_ratio',
  'top_customer_revenue_share',
  'nps',
  'csat',
  'complaint_rate',
  'first_response_hours',
  'median_first_response_hours',
  'complaint_resolution_rate',
  'crm_roi',
  'rfm_segment_share',
] as const;

export type KpiKey = (typeof kpiKeys)[number];

export type KpiUnit = 'COUNT' | 'MONEY' | 'PERCENT' | 'RATIO' | 'DAYS' | 'HOURS' | 'SCORE';

export type KpiDirection = 'HIGHER' | 'LOWER' | 'NONE';

/** The params each KPI takes (the `params` argument of Query.kpi's fields and of goals). */
export interface KpiParams {
  /** New leads: Number of leads created in the period. */
  new_leads: Record<string, never>;
  /** Valid leads: Number of leads qualified in the period: they fit the ideal customer profile and have a stated need. */
  valid_leads: Record<string, never>;
  /** New customers: Number of customers who won their first deal in the period. */
  new_customers: Record<string, never>;
  /** Lead-to-customer conversion: Of the leads created in the period, the share that have become customers. */
  lead_conversion_rate: Record<string, never>;
  /** Customer acquisition cost: Marketing and sales spend in the period divided by the customers won in it. */
  cac: Record<string, never>;
  /** Sales calls per lead: Sales calls made in the period divided by the number of distinct leads they reached. */
  calls_per_lead: Record<string, never>;
  /** Customer referrals: Number of leads created in the period that came through a referral. */
  referrals: Record<string, never>;
  /** Revenue from campaigns: Amount of the deals won in the period that came from a campaign. */
  campaign_revenue: Record<string, never>;
  /** New customers from campaigns: Number of customers who won their first deal in the period and came from a campaign. */
  campaign_new_customers: Record<string, never>;
  /** Won revenue: Total amount of the deals won in the period. */
  won_revenue: Record<string, never>;
  /** Win rate: Share of the deals closed in the period that were won. */
  win_rate: Record<string, never>;
  /** Average deal size: Won revenue in the period divided by the number of deals won. */
  avg_deal_size: Record<string, never>;
  /** Median deal size: The middle amount of the deals won in the period (half were larger, half smaller); unlike the mean, one huge deal does not move it. */
  median_deal_size: Record<string, never>;
  /** Sales cycle length: Mean number of days from creation to close of the deals won in the period. */
  sales_cycle_days: Record<string, never>;
  /** Sales cycle, 90th percentile: Days from creation to close within which 90 % of the deals won in the period closed: the long tail of the sales cycle. */
  sales_cycle_p90_days: Record<string, never>;
  /** Open deals: Number of deals open at the end of the period: created before it and not closed before it. */
  open_deals: Record<string, never>;
  /** Open pipeline value: Total amount of the deals open at the end of the period. */
  pipeline_value: Record<string, never>;
  /** Stage share (bottleneck): Of the deals open at the end of the period (created before it, not closed before it), the share in a stage; a deal's stage at a time is the stage its last move before that time entered. Group by stage for one value per stage, or pass the stage. */
  stage_share: {
    /** The stage whose share is asked for; not needed when grouping by stage. */
    stage?: 'LEAD' | 'QUALIFIED' | 'NEEDS_ANALYSIS' | 'PROPOSAL' | 'NEGOTIATION' | 'WON' | 'LOST';
  };
  /** Stage-to-stage conversion: Of the deals that entered stage S in the period, the share that later (at any time since) entered a later stage of the funnel lead → qualified → needs analysis → proposal → negotiation → won. */
  stage_conversion: {
    /** S: the stage whose entrants are followed. */
    stage: 'LEAD' | 'QUALIFIED' | 'NEEDS_ANALYSIS' | 'PROPOSAL' | 'NEGOTIATION';
  };
  /** New revenue: Payments in the period from customers converted at most N calendar months before the payment (paidAt − N months ≤ convertedAt ≤ paidAt, months counted in the workspace time zone). */
  new_revenue: {
    /** N: how many calendar months after conversion revenue counts as new. A whole number. Range: ≥ 0, ≤ 120. Default: 6. */
    months?: number;
  };
  /** Cross-sell and upsell ratio: Share of the deals won in the period that sold more to an existing customer (cross-sell or upsell). */
  cross_sell_ratio: Record<string, never>;
  /** Active customers: Number of customers at the end of the period who have converted and not churned. */
  active_customers: Record<string, never>;
  /** Churn rate: Customers lost in the period divided by the customers active at its start. */
  churn_rate: Record<string, never>;
  /** Retention rate: Of the customers active at the start of the period, the share still active at its end. */
  retention_rate: Record<string, never>;
  /** Repurchase rate: Of the customers with at least one payment in the period, the share with two or more. */
  repurchase_rate: Record<string, never>;
  /** Average revenue per account: Payments received in the period divided by the average number of active customers over it. */
  arpa: Record<string, never>;
  /** Customer lifetime value: Average revenue per account times gross margin, divided by the churn rate of the period. */
  ltv: {
    /** Gross margin as a fraction of revenue, in (0, 1]. Range: > 0, ≤ 1. Default: 1. */
    grossMargin?: number;
  };
  /** LTV to CAC: Customer lifetime value divided by customer acquisition cost, both over the period. */
  ltv_cac_ratio: {
    /** Gross margin as a fraction of revenue, in (0, 1]. Range: > 0, ≤ 1. Default: 1. */
    grossMargin?: number;
  };
  /** Revenue share of top customers: Payments in the period from the top N % of paying customers (by their payments in the period, rounded up to whole customers) divided by all payments in the period. */
  top_customer_revenue_share: {
    /** N: the share of paying customers counted as top, in percent. Range: > 0, ≤ 100. Default: 20. */
    percent?: number;
  };
  /** Net promoter score: Percentage of NPS answers in the period scoring 9–10 minus the percentage scoring 0–6, from −100 to 100. */
  nps: Record<string, never>;
  /** Customer satisfaction: Share of the CSAT answers in the period that scored 4 or 5 out of 5. */
  csat: Record<string, never>;
  /** Complaint rate: Complaints opened in the period divided by the customers active at its end. */
  complaint_rate: Record<string, never>;
  /** First response time: Mean hours from opening to first response, over tickets opened in the period that have a response. */
  first_response_hours: Record<string, never>;
  /** Median first response time: The middle number of hours from opening to first response, over tickets opened in the period that have a response. */
  median_first_response_hours: Record<string, never>;
  /** Complaint resolution rate: Of the complaints opened in the period, the share resolved by its end. */
  complaint_resolution_rate: Record<string, never>;
  /** CRM return on investment: Benefits of the CRM in the period minus its costs, divided by its costs. */
  crm_roi: Record<string, never>;
  /** RFM segment share: Share of paying customers in an RFM segment, over each customer's payments before the end of the period, against the means over all paying customers of the workspace. Group by rfmSegment for all eight, or pass the segment. */
  rfm_segment_share: {
    /** The segment whose share is asked for; not needed when grouping by rfmSegment. */
    segment?: 'IMPORTANT_VALUE' | 'IMPORTANT_DEVELOP' | 'IMPORTANT_RETAIN' | 'IMPORTANT_WIN_BACK' | 'GENERAL_VALUE' | 'GENERAL_DEVELOP' | 'GENERAL_RETAIN' | 'GENERAL_WIN_BACK';
  };
}

/** The params of one KPI. */
export type KpiParamsOf<Key extends KpiKey> = KpiParams[Key];

/** How to read each KPI's values. */
export const kpiUnits = {
  new_leads: 'COUNT',
  valid_leads: 'COUNT',
  new_customers: 'COUNT',
  lead_conversion_rate: 'PERCENT',
  cac: 'MONEY',
  calls_per_lead: 'RATIO',
  referrals: 'COUNT',
  campaign_revenue: 'MONEY',
  campaign_new_customers: 'COUNT',
  won_revenue: 'MONEY',
  win_rate: 'PERCENT',
  avg_deal_size: 'MONEY',
  median_deal_size: 'MONEY',
  sales_cycle_days: 'DAYS',
  sales_cycle_p90_days: 'DAYS',
  open_deals: 'COUNT',
  pipeline_value: 'MONEY',
  stage_share: 'PERCENT',
  stage_conversion: 'PERCENT',
  new_revenue: 'MONEY',
  cross_sell_ratio: 'PERCENT',
  active_customers: 'COUNT',
  churn_rate: 'PERCENT',
  retention_rate: 'PERCENT',
  repurchase_rate: 'PERCENT',
  arpa: 'MONEY',
  ltv: 'MONEY',
  ltv_cac_ratio: 'RATIO',
  top_customer_revenue_share: 'PERCENT',
  nps: 'SCORE',
  csat: 'PERCENT',
  complaint_rate: 'PERCENT',
  first_response_hours: 'HOURS',
  median_first_response_hours: 'HOURS',
  complaint_resolution_rate: 'PERCENT',
  crm_roi: 'PERCENT',
  rfm_segment_share: 'PERCENT',
} as const satisfies Record<KpiKey, KpiUnit>;

/** Which way is better for each KPI. */
export const kpiDirections = {
  new_leads: 'HIGHER',
  valid_leads: 'HIGHER',
  new_customers: 'HIGHER',
  lead_conversion_rate: 'HIGHER',
  cac: 'LOWER',
  calls_per_lead: 'NONE',
  referrals: 'HIGHER',
  campaign_revenue: 'HIGHER',
  campaign_new_customers: 'HIGHER',
  won_revenue: 'HIGHER',
  win_rate: 'HIGHER',
  avg_deal_size: 'HIGHER',
  median_deal_size: 'HIGHER',
  sales_cycle_days: 'LOWER',
  sales_cycle_p90_days: 'LOWER',
  open_deals: 'NONE',
  pipeline_value: 'HIGHER',
  stage_share: 'NONE',
  stage_conversion: 'HIGHER',
  new_revenue: 'HIGHER',
  cross_sell_ratio: 'HIGHER',
  active_customers: 'HIGHER',
  churn_rate: 'LOWER',
  retention_rate: 'HIGHER',
  repurchase_rate: 'HIGHER',
  arpa: 'HIGHER',
  ltv: 'HIGHER',
  ltv_cac_ratio: 'HIGHER',
  top_customer_revenue_share: 'NONE',
  nps: 'HIGHER',
  csat: 'HIGHER',
  complaint_rate: 'LOWER',
  first_response_hours: 'LOWER',
  median_first_response_hours: 'LOWER',
  complaint_resolution_rate: 'HIGHER',
  crm_roi: 'HIGHER',
  rfm_segment_share: 'NONE',
} as const satisfies Record<KpiKey, KpiDirection>;

export type KpiUnitOf<Key extends KpiKey> = (typeof kpiUnits)[Key];
