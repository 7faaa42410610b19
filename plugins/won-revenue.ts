import { deals, defineKpi, value, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'won_revenue',
  name: 'Won revenue',
  description: 'Total amount of the deals won in the period.',
  unit: 'money',
  direction: 'higher',
  stages: ['growth'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'productLine', 'dealType', 'campaign'],
  params: z.object({}),
  inputs: {
    revenue: deals.sum({ field: 'amount', time: 'closedAt', where: { stage: 'WON' } }),
  },
  formula: ({ revenue }) => value(revenue),
});
