/** What the dashboard shows: the KPIs on the cards, in order, and the KPI of the trend chart. */
export const cardKpis = ['new_leads', 'won_revenue', 'win_rate', 'avg_deal_size', 'sales_cycle_days', 'churn_rate'];
export const trendKpi = 'won_revenue';
