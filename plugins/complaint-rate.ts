import { customers, defineKpi, ratio, tickets, z } from '../src/kpi/sdk.js';

export default defineKpi({
  key: 'complaint_rate',
  name: 'Complaint rate',
  description: 'Complaints opened in the period divided by the customers active at its end.',
  unit: 'percent',
  direction: 'lower',
  stages: ['growth', 'mature'],
  // Tickets carry their customer's dimensions, but no campaign.
  dimensions: ['team', 'owner', 'channel', 'region', 'industry'],
  params: z.object({}),
  inputs: {
    complaints: tickets.count({ time: 'openedAt', where: { kind: 'COMPLAINT' } }),
    activeAtEnd: customers.snapshotCount({ at: 'end', from: 'convertedAt', until: 'churnedAt' }),
  },
  formula: ({ complaints, activeAtEnd }) => ratio(complaints, activeAtEnd, 'the number of active customers'),
});
