/**
 * Inputs-KPIs defined inline for the engine's tests, so that they do not
 * depend on the built-in plugins being written alongside.
 */
import type { KpiDefinition } from '../../src/kpi/sdk.js';
import { Decimal, customers, deals, defineKpi, mean, payments, ratio, value, z } from '../../src/kpi/sdk.js';

const base = { description: 'test KPI', stages: ['growth'] as const, dimensions: ['team', 'owner', 'region'] as const, params: z.object({}) };

export const winRate = defineKpi({
  ...base,
  key: 'win_rate',
  name: 'Win rate',
  unit: 'percent',
  direction: 'higher',
  inputs: {
    won: deals.count({ time: 'closedAt', where: { stage: 'WON' } }),
    closed: deals.count({ time: 'closedAt', where: { stage: { in: ['WON', 'LOST'] } } }),
  },
  formula: ({ won, closed }) => ratio(won, closed, 'the number of closed deals'),
});

export const inlineKpis: KpiDefinition[] = [
  winRate,
  defineKpi({ ...base, key: 'won_revenue', name: 'Won revenue', unit: 'money', direction: 'higher',
    inputs: { revenue: deals.sum({ field: 'amount', time: 'closedAt', where: { stage: 'WON' } }) },
    formula: ({ revenue }) => value(revenue) }),
  defineKpi({ ...base, key: 'avg_deal_size', name: 'Average deal size', unit: 'money', direction: 'higher',
    inputs: {
      revenue: deals.sum({ field: 'amount', time: 'closedAt', where: { stage: 'WON' } }),
      won: deals.count({ time: 'closedAt', where: { stage: 'WON' } }),
    },
    formula: ({ revenue, won }) => ratio(revenue, won, 'the number of won deals') }),
  defineKpi({ ...base, key: 'sales_cycle_days', name: 'Sales cycle', unit: 'days', direction: 'lower',
    inputs: { cycle: deals.mean({ of: { from: 'createdAt', to: 'closedAt', in: 'days' }, time: 'closedAt', where: { stage: 'WON' } }) },
    formula: ({ cycle }) => mean(cycle, 'won deals') }),
  defineKpi({ ...base, key: 'open_deals', name: 'Open deals', unit: 'count', direction: 'none',
    inputs: { open: deals.snapshotCount({ at: 'end', from: 'createdAt', until: 'closedAt' }) },
    formula: ({ open }) => value(open) }),
  defineKpi({ ...base, key: 'pipeline_value', name: 'Pipeline value', unit: 'money', direction: 'higher',
    inputs: { pipeline: deals.snapshotSum({ field: 'amount', at: 'end', from: 'createdAt', until: 'closedAt' }) },
    formula: ({ pipeline }) => value(pipeline) }),
  defineKpi({ ...base, key: 'new_deals', name: 'New deals', unit: 'count', direction: 'higher',
    inputs: { created: deals.count({ time: 'createdAt' }) },
    formula: ({ created }) => value(created) }),
  defineKpi({ ...base, key: 'new_leads', name: 'New leads', unit: 'count', direction: 'higher',
    inputs: { leads: customers.count({ time: 'createdAt' }) },
    formula: ({ leads }) => value(leads) }),
  defineKpi({ ...base, key: 'new_customers', name: 'New customers', unit: 'count', direction: 'higher',
    inputs: { converted: customers.count({ time: 'convertedAt' }) },
    formula: ({ converted }) => value(converted) }),
  defineKpi({ ...base, key: 'churn_rate', name: 'Churn rate', unit: 'percent', direction: 'lower',
    inputs: {
      churned: customers.count({ time: 'churnedAt' }),
      activeAtStart: customers.snapshotCount({ at: 'start', from: 'convertedAt', until: 'churnedAt' }),
    },
    formula: ({ churned, activeAtStart }) => ratio(churned, activeAtStart, 'the number of active customers') }),
  defineKpi({ ...base, key: 'active_customers', name: 'Active customers', unit: 'count', direction: 'higher',
    inputs: { active: customers.snapshotCount({ at: 'end', from: 'convertedAt', until: 'churnedAt' }) },
    formula: ({ active }) => value(active) }),
  defineKpi({ ...base, key: 'revenue', name: 'Revenue', unit: 'money', direction: 'higher',
    inputs: { paid: payments.sum({ field: 'amount', time: 'paidAt' }), count: payments.count({ time: 'paidAt' }) },
    formula: ({ paid, count }) => ({ value: new Decimal(paid), sampleSize: count }) }),
];

/** The twelve months of a year in UTC. */
export function monthsOf(year: number): { start: Date; end: Date }[] {
  return Array.from({ length: 12 }, (_, m) => ({ start: new Date(Date.UTC(year, m, 1)), end: new Date(Date.UTC(year, m + 1, 1)) }));
}
