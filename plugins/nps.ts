import { defineKpi, mapValue, ratio, surveyResponses, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'nps',
  name: 'Net promoter score',
  description: 'Percentage of NPS answers in the period scoring 9–10 minus the percentage scoring 0–6, from −100 to 100.',
  unit: 'score',
  direction: 'higher',
  valueRange: { min: -100, max: 100 },
  stages: ['growth', 'mature'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry'],
  params: z.object({}),
  target: { default: 30 },
  inputs: {
    answers: surveyResponses.count({ time: 'answeredAt', where: { kind: 'NPS' } }),
    promoters: surveyResponses.count({ time: 'answeredAt', where: { kind: 'NPS', score: { gte: 9 } } }),
    // 7 and 8 are passives: counted in the answers, in neither group.
    detractors: surveyResponses.count({ time: 'answeredAt', where: { kind: 'NPS', score: { lte: 6 } } }),
  },
  formula: ({ answers, promoters, detractors }) =>
    mapValue(ratio(promoters - detractors, answers, 'the number of NPS answers'), (share) => share.mul(100)),
});
