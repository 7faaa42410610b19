import { defineKpi, ratio, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'ltv_cac_ratio',
  name: 'LTV to CAC',
  description: 'Customer lifetime value divided by customer acquisition cost, both over the period.',
  unit: 'ratio',
  direction: 'higher',
  stages: ['mature'],
  // The dimensions that ltv and cac both offer.
  dimensions: ['channel'],
  params: z.object({
    grossMargin: z.number().gt(0).lte(1).default(1).describe('Gross margin as a fraction of revenue, in (0, 1]'),
  }),
  target: { default: 3 },
  derived: { ltv: 'ltv', cac: 'cac' },
  formula: ({ ltv, cac }) => ratio(ltv, cac, 'the customer acquisition cost'),
});
