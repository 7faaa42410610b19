import { defineKpi, mean, tickets, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'first_response_hours',
  name: 'First response time',
  description: 'Mean hours from opening to first response, over tickets opened in the period that have a response.',
  unit: 'hours',
  direction: 'lower',
  stages: ['growth', 'mature'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry'],
  params: z.object({}),
  inputs: {
    // Every ticket kind: a request waits for its answer as a complaint does.
    response: tickets.mean({
      of: { from: 'openedAt', to: 'firstResponseAt', in: 'hours' },
      time: 'openedAt',
      where: { firstResponseAt: { set: true } },
    }),
  },
  formula: ({ response }) => mean(response, 'tickets with a response'),
});
