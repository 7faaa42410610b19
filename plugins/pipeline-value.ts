import { deals, defineKpi, value, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'pipeline_value',
  name: 'Open pipeline value',
  description: 'Total amount of the deals open at the end of the period.',
  unit: 'money',
  // A snapshot at the end of the period, not a total: goals do not pace it on a straight line.
  additive: false,
  direction: 'higher',
  stages: ['growth'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'productLine', 'dealType', 'campaign', 'stage'],
  params: z.object({}),
  inputs: {
    amount: deals.snapshotSum({ field: 'amount', at: 'end', from: 'createdAt', until: 'closedAt' }),
  },
  formula: ({ amount }) => value(amount),
});
