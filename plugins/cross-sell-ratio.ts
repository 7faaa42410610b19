import { deals, defineKpi, ratio, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'cross_sell_ratio',
  name: 'Cross-sell and upsell ratio',
  description: 'Share of the deals won in the period that sold more to an existing customer (cross-sell or upsell).',
  unit: 'percent',
  direction: 'higher',
  stages: ['growth'],
  // By deal type, every group would be trivially 0 or 1.
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'productLine', 'campaign'],
  params: z.object({}),
  inputs: {
    expansion: deals.count({ time: 'closedAt', where: { stage: 'WON', type: { in: ['CROSS_SELL', 'UPSELL'] } } }),
    won: deals.count({ time: 'closedAt', where: { stage: 'WON' } }),
  },
  formula: ({ expansion, won }) => ratio(expansion, won, 'the number of deals won'),
});
