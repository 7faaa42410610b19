import { deals, defineKpi, percentile, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'median_deal_size',
  name: 'Median deal size',
  description: 'The middle amount of the deals won in the period (half were larger, half smaller); unlike the mean, one huge deal does not move it.',
  unit: 'money',
  // A median, not a total: goals do not pace it on a straight line.
  additive: false,
  direction: 'higher',
  stages: ['growth'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'productLine', 'dealType', 'campaign'],
  params: z.object({}),
  inputs: {
    amount: deals.percentile(0.5, { of: 'amount', time: 'closedAt', where: { stage: 'WON' } }),
  },
  formula: ({ amount }) => percentile(amount, 'deals won'),
});
