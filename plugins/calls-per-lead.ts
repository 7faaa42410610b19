import { activities, defineKpi, ratio, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'calls_per_lead',
  name: 'Sales calls per lead',
  description: 'Sales calls made in the period divided by the number of distinct leads they reached.',
  unit: 'ratio',
  direction: 'none',
  stages: ['launch'],
  // An activity's team and owner are the acting user's; a call need not name a
  // deal, so deal dimensions would silently drop calls.
  dimensions: ['team', 'owner', 'channel', 'region', 'industry'],
  params: z.object({}),
  inputs: {
    calls: activities.count({ time: 'at', where: { type: 'CALL' } }),
    leadsCalled: activities.distinctCount({ field: 'customerId', time: 'at', where: { type: 'CALL' } }),
  },
  formula: ({ calls, leadsCalled }) => ratio(calls, leadsCalled, 'the number of leads called'),
});
