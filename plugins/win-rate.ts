import { deals, defineKpi, ratio, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'win_rate',
  name: 'Win rate',
  description: 'Share of the deals closed in the period that were won.',
  unit: 'percent',
  direction: 'higher',
  stages: ['growth'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'productLine', 'dealType', 'campaign'],
  params: z.object({}),
  inputs: {
    won: deals.count({ time: 'closedAt', where: { stage: 'WON' } }),
    closed: deals.count({ time: 'closedAt', where: { stage: { in: ['WON', 'LOST'] } } }),
  },
  formula: ({ won, closed }) => ratio(won, closed, 'the number of deals closed'),
});
