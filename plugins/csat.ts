import { defineKpi, ratio, surveyResponses, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'csat',
  name: 'Customer satisfaction',
  description: 'Share of the CSAT answers in the period that scored 4 or 5 out of 5.',
  unit: 'percent',
  direction: 'higher',
  stages: ['growth', 'mature'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry'],
  params: z.object({}),
  inputs: {
    answers: surveyResponses.count({ time: 'answeredAt', where: { kind: 'CSAT' } }),
    satisfied: surveyResponses.count({ time: 'answeredAt', where: { kind: 'CSAT', score: { gte: 4 } } }),
  },
  formula: ({ satisfied, answers }) => ratio(satisfied, answers, 'the number of CSAT answers'),
});
