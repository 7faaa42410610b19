import { customers, defineKpi, value, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'new_customers',
  name: 'New customers',
  description: 'Number of customers who won their first deal in the period.',
  unit: 'count',
  direction: 'higher',
  stages: ['launch'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'campaign'],
  params: z.object({}),
  inputs: {
    converted: customers.count({ time: 'convertedAt' }),
  },
  formula: ({ converted }) => value(converted),
});
