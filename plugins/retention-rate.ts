import { customers, defineKpi, ratio, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'retention_rate',
  name: 'Retention rate',
  description: 'Of the customers active at the start of the period, the share still active at its end.',
  unit: 'percent',
  direction: 'higher',
  stages: ['mature'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry', 'campaign'],
  params: z.object({}),
  target: { default: 0.8 },
  inputs: {
    activeAtStart: customers.snapshotCount({ at: 'start', from: 'convertedAt', until: 'churnedAt' }),
    // The same cohort, less those who churned before the end; customers won
    // during the period are not in it.
    stillActive: customers.snapshotCount({
      at: 'start',
      from: 'convertedAt',
      until: 'churnedAt',
      where: { churnedAt: { atOrAfter: 'end', orNull: true } },
    }),
  },
  formula: ({ stillActive, activeAtStart }) =>
    ratio(stillActive, activeAtStart, 'the number of customers active at the start'),
});
