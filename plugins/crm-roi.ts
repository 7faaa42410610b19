import { defineKpi, ratio, ledger, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'crm_roi',
  name: 'CRM return on investment',
  description: 'Benefits of the CRM in the period minus its costs, divided by its costs.',
  unit: 'percent',
  direction: 'higher',
  // A return can exceed 100 %; it cannot lose more than everything.
  valueRange: { min: -1 },
  stages: ['launch', 'growth', 'mature'],
  // Ledger entries belong to the whole workspace: no team, region or channel.
  dimensions: [],
  params: z.object({}),
  inputs: {
    // By kind, not by the catalogue's example categories, so that a cost
    // booked under a new category still counts.
    benefits: ledger.sum({ field: 'amount', time: 'date', where: { kind: 'BENEFIT' } }),
    costs: ledger.sum({ field: 'amount', time: 'date', where: { kind: 'COST' } }),
  },
  formula: ({ benefits, costs }) => ratio(benefits.minus(costs), costs, 'the CRM cost'),
});
