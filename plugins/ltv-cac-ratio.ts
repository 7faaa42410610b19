import { Decimal, customers, defineKpi, payments, ratio, spend, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'ltv_cac_ratio',
  name: 'LTV to CAC',
  description: 'Customer lifetime value divided by customer acquisition cost, both over the period.',
  unit: 'ratio',
  direction: 'higher',
  stages: ['mature'],
  // The dimensions that payments, customers and spend all carry.
  dimensions: ['channel'],
  params: z.object({
    grossMargin: z.number().gt(0).lte(1).default(1).describe('Gross margin as a fraction of revenue, in (0, 1]'),
  }),
  target: { default: 3 },
  inputs: {
    revenue: payments.sum({ field: 'amount', time: 'paidAt' }),
    activeAtStart: customers.snapshotCount({ at: 'start', from: 'convertedAt', until: 'churnedAt' }),
    activeAtEnd: customers.snapshotCount({ at: 'end', from: 'convertedAt', until: 'churnedAt' }),
    churned: customers.count({ time: 'churnedAt' }),
    spent: spend.sum({ field: 'amount', time: 'date', where: { category: { in: ['MARKETING', 'SALES'] } } }),
    newCustomers: customers.count({ time: 'convertedAt' }),
  },
  formula: ({ revenue, activeAtStart, activeAtEnd, churned, spent, newCustomers }, { params }) => {
    const arpa = ratio(revenue, new Decimal(activeAtStart + activeAtEnd).div(2), 'the mean number of active customers');
    if (arpa.value === null) return arpa;
    const churn = ratio(churned, activeAtStart, 'the number of customers active at the start');
    if (churn.value === null) return churn;
    const ltv = ratio(arpa.value.mul(params.grossMargin), churn.value, 'the churn rate');
    if (ltv.value === null) return ltv;
    const cac = ratio(spent, newCustomers, 'the number of new customers');
    if (cac.value === null) return cac;
    return ratio(ltv.value, cac.value, 'the customer acquisition cost');
  },
});
