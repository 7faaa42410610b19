/**
 * A small workspace for KPI answers checked by hand, in UTC. Q1 2025: North
 * (nora) wins 100.10 and 200.20 and loses one deal of 1.00; South (sam) wins
 * 50.00 on 12 March. Won revenue 350.30, win rate 3/4; North alone 300.30
 * and 2/3.
 */
export const twoTeamsQ1 = {
  workspace: { timeZone: 'UTC' },
  users: [
    { name: 'nora', team: 'North' },
    { name: 'sam', team: 'South' },
  ],
  customers: [
    { name: 'Ann', owner: 'nora', region: 'DE', convertedAt: '2024-11-01T00:00:00Z' },
    { name: 'Bob', owner: 'sam', region: 'FR', convertedAt: '2024-11-01T00:00:00Z' },
  ],
  deals: [
    { customer: 'Ann', stage: 'WON' as const, amount: '100.10', closedAt: '2025-01-10T00:00:00Z' },
    { customer: 'Ann', stage: 'WON' as const, amount: '200.20', closedAt: '2025-02-10T00:00:00Z' },
    { customer: 'Ann', stage: 'LOST' as const, amount: '1.00', closedAt: '2025-03-10T00:00:00Z', lostReason: 'price' },
    { customer: 'Bob', stage: 'WON' as const, amount: '50.00', closedAt: '2025-03-12T00:00:00Z' },
  ],
};
