/**
 * An example partner KPI plugin: how much won revenue the sales team turns
 * over per day of sales cycle. Load it with
 * `KPI_PLUGINS=./examples/partner-plugin/deal-velocity.ts`; a published
 * plugin imports from 'kpigraph/sdk' instead of the relative path.
 */
import { deals, defineKpi, mean, ratio, z } from '../../src/kpi/sdk.js';

export default defineKpi({
  key: 'deal_velocity',
  name: 'Deal velocity',
  description: 'Won revenue in the period divided by the mean sales cycle of its won deals, per day or per chosen number of days.',
  unit: 'money',
  direction: 'higher',
  stages: ['growth'],
  dimensions: ['team', 'owner', 'region', 'productLine', 'dealType'],
  params: z.object({
    perDays: z.number().int().positive().default(1).describe('Express the velocity per this many days, e.g. 30 for a month'),
  }),
  inputs: {
    // The same measures as won_revenue and sales_cycle_days: fetched once when a dashboard asks for all three.
    revenue: deals.sum({ field: 'amount', time: 'closedAt', where: { stage: 'WON' } }),
    cycle: deals.mean({ of: { from: 'createdAt', to: 'closedAt', in: 'days' }, time: 'closedAt', where: { stage: 'WON' } }),
  },
  formula: ({ revenue, cycle }, { params }) => {
    const days = mean(cycle, 'deals won');
    if (days.value === null) return days;
    // Multiply before dividing, so that 4500.50 × 30 ÷ 15 is exactly 9001.
    // Deals won the instant they were created have no cycle to divide by.
    return ratio(revenue.mul(params.perDays), days.value, 'the mean sales cycle');
  },
});
