import { Decimal, customers, defineKpi, payments, ratio, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'ltv',
  name: 'Customer lifetime value',
  description: 'Average revenue per account times gross margin, divided by the churn rate of the period.',
  unit: 'money',
  // An average, not a total: goals do not pace it on a straight line.
  additive: false,
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
    const meanActive = new Decimal(activeAtStart + activeAtEnd).div(2);
    const arpa = ratio(revenue, meanActive, 'the mean number of active customers');
    if (arpa.value === null) return arpa;
    const churn = ratio(churned, activeAtStart, 'the number of customers active at the start');
    if (churn.value === null) return churn;
    const explained = { numerator: arpa.value.mul(params.grossMargin), denominator: churn.value };
    // No churn means an unbounded lifetime: no value rather than Infinity.
    // One division at the end keeps an exact result exact:
    // (R ÷ m) × g ÷ (c ÷ a) = R × g × a ÷ (m × c).
    const ltv = ratio(revenue.mul(params.grossMargin).mul(activeAtStart), meanActive.mul(churned), 'the churn rate');
    return { ...ltv, ...explained };
  },
});
