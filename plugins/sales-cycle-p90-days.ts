import { deals, defineKpi, percentile, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'sales_cycle_p90_days',
  name: 'Sales cycle, 90th percentile',
  description: 'Days from creation to close within which 90 % of the deals won in the period closed: the long tail of the sales cycle.',
  unit: 'days',
  direction: 'lower',
  stages: ['growth'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'productLine', 'dealType', 'campaign'],
  params: z.object({}),
  inputs: {
    cycle: deals.percentile(0.9, { of: { from: 'createdAt', to: 'closedAt', in: 'days' }, time: 'closedAt', where: { stage: 'WON' } }),
  },
  formula: ({ cycle }) => percentile(cycle, 'deals won'),
});
