import { customers, defineKpi, value, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'referrals',
  name: 'Customer referrals',
  description: 'Number of leads created in the period that came through a referral.',
  unit: 'count',
  direction: 'higher',
  stages: ['launch'],
  // The channel is fixed to referral, so it is no useful breakdown.
  dimensions: ['team', 'owner', 'region', 'industry', 'campaign'],
  params: z.object({}),
  inputs: {
    referred: customers.count({ time: 'createdAt', where: { channel: 'referral' } }),
  },
  formula: ({ referred }) => value(referred),
});
