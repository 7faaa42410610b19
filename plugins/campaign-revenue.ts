import { deals, defineKpi, value, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'campaign_revenue',
  name: 'Revenue from campaigns',
  description: 'Amount of the deals won in the period that came from a campaign.',
  unit: 'money',
  direction: 'higher',
  stages: ['launch'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'productLine', 'dealType', 'campaign'],
  params: z.object({}),
  inputs: {
    revenue: deals.sum({ field: 'amount', time: 'closedAt', where: { stage: 'WON', campaign: 'set' } }),
  },
  formula: ({ revenue }) => value(revenue),
});
