import { customers, defineKpi, value, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'active_customers',
  name: 'Active customers',
  description: 'Number of customers at the end of the period who have converted and not churned.',
  unit: 'count',
  // A snapshot at the end of the period, not a total: goals do not pace it on a straight line.
  additive: false,
  direction: 'higher',
  stages: ['mature'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'campaign'],
  params: z.object({}),
  inputs: {
    active: customers.snapshotCount({ at: 'end', from: 'convertedAt', until: 'churnedAt' }),
  },
  formula: ({ active }) => value(active),
});
