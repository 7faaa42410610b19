import { customers, defineKpi, ratio, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'churn_rate',
  name: 'Churn rate',
  description: 'Customers lost in the period divided by the customers active at its start.',
  unit: 'percent',
  direction: 'lower',
  stages: ['mature'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'campaign'],
  params: z.object({}),
  inputs: {
    churned: customers.count({ time: 'churnedAt' }),
    activeAtStart: customers.snapshotCount({ at: 'start', from: 'convertedAt', until: 'churnedAt' }),
  },
  formula: ({ churned, activeAtStart }) => ratio(churned, activeAtStart, 'the number of customers active at the start'),
});
