import { deals, defineKpi, value, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'open_deals',
  name: 'Open deals',
  description: 'Number of deals open at the end of the period: created before it and not closed before it.',
  unit: 'count',
  // A snapshot at the end of the period, not a total: goals do not pace it on a straight line.
  additive: false,
  direction: 'none',
  stages: ['growth'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'productLine', 'dealType', 'campaign', 'stage'],
  params: z.object({}),
  inputs: {
    open: deals.snapshotCount({ at: 'end', from: 'createdAt', until: 'closedAt' }),
  },
  formula: ({ open }) => value(open),
});
