import { customers, defineKpi, value, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'valid_leads',
  name: 'Valid leads',
  description: 'Number of leads qualified in the period: they fit the ideal customer profile and have a stated need.',
  unit: 'count',
  direction: 'higher',
  stages: ['launch'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'campaign'],
  params: z.object({}),
  // Additive, so the target scales with the period: 300 a quarter.
  target: { default: 100, per: 'month' },
  inputs: {
    qualified: customers.count({ time: 'qualifiedAt' }),
  },
  formula: ({ qualified }) => value(qualified),
});
