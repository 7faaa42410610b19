import { defineKpi, percentile, tickets, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'median_first_response_hours',
  name: 'Median first response time',
  description: 'The middle number of hours from opening to first response, over tickets opened in the period that have a response.',
  unit: 'hours',
  direction: 'lower',
  stages: ['growth', 'mature'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry'],
  params: z.object({}),
  inputs: {
    response: tickets.percentile(0.5, {
      of: { from: 'openedAt', to: 'firstResponseAt', in: 'hours' },
      time: 'openedAt',
      where: { firstResponseAt: { set: true } },
    }),
  },
  formula: ({ response }) => percentile(response, 'tickets with a response'),
});
