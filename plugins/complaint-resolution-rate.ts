import { defineKpi, ratio, tickets, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'complaint_resolution_rate',
  name: 'Complaint resolution rate',
  description: 'Of the complaints opened in the period, the share resolved by its end.',
  unit: 'percent',
  direction: 'higher',
  stages: ['growth', 'mature'],
  dimensions: ['team', 'owner', 'channel', 'region', 'industry'],
  params: z.object({}),
  inputs: {
    complaints: tickets.count({ time: 'openedAt', where: { kind: 'COMPLAINT' } }),
    // Resolved later than the end does not count, so a past period's value stays put.
    resolved: tickets.count({ time: 'openedAt', where: { kind: 'COMPLAINT', resolvedAt: { before: 'end' } } }),
  },
  formula: ({ resolved, complaints }) => ratio(resolved, complaints, 'the number of complaints opened'),
});
