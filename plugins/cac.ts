import { customers, defineKpi, ratio, spend, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'cac',
  name: 'Customer acquisition cost',
  description: 'Marketing and sales spend in the period divided by the customers won in it.',
  unit: 'money',
  // An average, not a total: goals do not pace it on a straight line.
  additive: false,
  direction: 'lower',
  stages: ['launch'],
  // Spend has only its own channel and campaign: no team, owner or region.
  dimensions: ['channel', 'campaign'],
  params: z.object({}),
  inputs: {
    spent: spend.sum({ field: 'amount', time: 'date', where: { category: { in: ['MARKETING', 'SALES'] } } }),
    newCustomers: customers.count({ time: 'convertedAt' }),
  },
  formula: ({ spent, newCustomers }) => ratio(spent, newCustomers, 'the number of new customers'),
});
