/** What the dashboard shows: the KPIs on the cards, in order, and the KPI of the trend chart. */
export const cardKpis = ['valid_leads', 'lead_conversion_rate', 'won_revenue', 'win_rate', 'retention_rate', 'nps'];
export const trendKpi = 'won_revenue';
