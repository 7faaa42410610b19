import { Decimal, customers, defineKpi, payments, ratio, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'ltv',
  name: 'Customer lifetime value',
  description: 'Average revenue per account times gross margin, divided by the churn rate of the period.',
  unit: 'money',
  direction: 'higher',
  stages: ['mature'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry'],
  params: z.object({
    grossMargin: z.number().gt(0).lte(1).default(1).describe('Gross margin as a fraction of revenue, in (0, 1]'),
  }),
  inputs: {
    revenue: payments.sum({ field: 'amount', time: 'paidAt' }),
    activeAtStart: customers.snapshotCount({ at: 'start', from: 'convertedAt', until: 'churnedAt' }),
    activeAtEnd: customers.snapshotCount({ at: 'end', from: 'convertedAt', until: 'churnedAt' }),
    churned: customers.count({ time: 'churnedAt' }),
  },
  formula: ({ revenue, activeAtStart, activeAtEnd, churned }, { params }) => {
    const arpa = ratio(revenue, new Decimal(activeAtStart + activeAtEnd).div(2), 'the mean number of active customers');
    if (arpa.value === null) return arpa;
    const churn = ratio(churned, activeAtStart, 'the number of customers active at the start');
    if (churn.value === null) return churn;
    // No churn means an unbounded lifetime: no value rather than Infinity.
    return ratio(arpa.value.mul(params.grossMargin), churn.value, 'the churn rate');
  },
});
