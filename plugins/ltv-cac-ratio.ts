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
    const meanActive = new Decimal(activeAtStart + activeAtEnd).div(2);
    const arpa = ratio(revenue, meanActive, 'the mean number of active customers');
    if (arpa.value === null) return arpa;
    const churn = ratio(churned, activeAtStart, 'the number of customers active at the start');
    if (churn.value === null) return churn;
    if (churn.value.isZero()) return ratio(arpa.value.mul(params.grossMargin), churn.value, 'the churn rate');
    const cac = ratio(spent, newCustomers, 'the number of new customers');
    if (cac.value === null) return cac;
    const explained = { numerator: arpa.value.mul(params.grossMargin).div(churn.value), denominator: cac.value };
    // One division at the end keeps an exact result exact:
    // ((R ÷ m) × g ÷ (c ÷ a)) ÷ (S ÷ n) = R × g × a × n ÷ (m × c × S).
    const result = ratio(
      revenue.mul(params.grossMargin).mul(activeAtStart).mul(newCustomers),
      meanActive.mul(churned).mul(spent),
      'the customer acquisition cost',
    );
    return { ...result, ...explained };
  },
});
