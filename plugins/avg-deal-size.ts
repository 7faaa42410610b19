import { deals, defineKpi, ratio, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'avg_deal_size',
  name: 'Average deal size',
  description: 'Won revenue in the period divided by the number of deals won.',
  unit: 'money',
  // An average, not a total: goals do not pace it on a straight line.
  additive: false,
  direction: 'higher',
  stages: ['growth'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'productLine', 'dealType', 'campaign'],
  params: z.object({}),
  // The same two measures as won_revenue and win_rate, so the engine fetches them once.
  inputs: {
    revenue: deals.sum({ field: 'amount', time: 'closedAt', where: { stage: 'WON' } }),
    won: deals.count({ time: 'closedAt', where: { stage: 'WON' } }),
  },
  formula: ({ revenue, won }) => ratio(revenue, won, 'the number of deals won'),
});
