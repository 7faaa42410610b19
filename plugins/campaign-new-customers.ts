import { customers, defineKpi, value, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'campaign_new_customers',
  name: 'New customers from campaigns',
  description: 'Number of customers who won their first deal in the period and came from a campaign.',
  unit: 'count',
  direction: 'higher',
  stages: ['launch'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'campaign'],
  params: z.object({}),
  inputs: {
    converted: customers.count({ time: 'convertedAt', where: { campaign: 'set' } }),
  },
  formula: ({ converted }) => value(converted),
});
