import { customers, defineKpi, value, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'new_leads',
  name: 'New leads',
  description: 'Number of leads created in the period.',
  unit: 'count',
  direction: 'higher',
  stages: ['launch'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'campaign'],
  params: z.object({}),
  inputs: {
    created: customers.count({ time: 'createdAt' }),
  },
  formula: ({ created }) => value(created),
});
