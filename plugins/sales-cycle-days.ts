import { deals, defineKpi, mean, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'sales_cycle_days',
  name: 'Sales cycle length',
  description: 'Mean number of days from creation to close of the deals won in the period.',
  unit: 'days',
  direction: 'lower',
  stages: ['growth'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'productLine', 'dealType', 'campaign'],
  params: z.object({}),
  inputs: {
    cycle: deals.mean({ of: { from: 'createdAt', to: 'closedAt', in: 'days' }, time: 'closedAt', where: { stage: 'WON' } }),
  },
  formula: ({ cycle }) => mean(cycle, 'deals won'),
});
