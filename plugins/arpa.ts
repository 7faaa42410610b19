import { Decimal, customers, defineKpi, payments, ratio, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'arpa',
  name: 'Average revenue per account',
  description: 'Payments received in the period divided by the average number of active customers over it.',
  unit: 'money',
  // An average, not a total: goals do not pace it on a straight line.
  additive: false,
  direction: 'higher',
  stages: ['mature'],
  // Payments carry their customer's dimensions, but no campaign.
  dimensions: ['team', 'owner', 'channel', 'region', 'industry'],
  params: z.object({}),
  inputs: {
    revenue: payments.sum({ field: 'amount', time: 'paidAt' }),
    activeAtStart: customers.snapshotCount({ at: 'start', from: 'convertedAt', until: 'churnedAt' }),
    activeAtEnd: customers.snapshotCount({ at: 'end', from: 'convertedAt', until: 'churnedAt' }),
  },
  formula: ({ revenue, activeAtStart, activeAtEnd }) =>
    ratio(revenue, new Decimal(activeAtStart + activeAtEnd).div(2), 'the mean number of active customers'),
});
