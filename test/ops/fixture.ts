import type { FixtureSpec } from '../../src/testing/fixture-spec.js';

/**
 * Two teams with one rep each; every month of 2025 each rep's customer is
 * created on the 5th and wins a deal of 1000.50 × (team number) on the 20th.
 */
export function opsFixture(): FixtureSpec {
  const teams = ['North', 'South'];
  const users = teams.map((team) => ({ name: `rep-${team}`, team }));
  const customers = [];
  const deals = [];
  for (const [t, team] of teams.entries()) {
    for (let m = 0; m < 12; m++) {
      const month = String(m + 1).padStart(2, '0');
      const name = `${team}-${month}`;
      customers.push({ name, owner: `rep-${team}`, createdAt: `2025-${month}-05T10:00:00Z` });
      deals.push({ customer: name, stage: 'WON' as const, amount: (1000.5 * (t + 1)).toFixed(2), createdAt: `2025-${month}-05T10:00:00Z`, closedAt: `2025-${month}-20T10:00:00Z` });
    }
  }
  return { teams, users, customers, deals };
}

/** Three KPIs × 12 months by team: 36 cells, over the deals and customers sources. */
export const dashboardQuery = /* GraphQL */ `
  query Dashboard {
    kpis(keys: ["won_revenue", "win_rate", "new_customers"]) {
      key
      series(range: { start: "2025-01-01T00:00:00Z", end: "2026-01-01T00:00:00Z" }, grain: MONTH, by: TEAM) {
        start
        breakdown { label value { value } }
      }
    }
  }
`;
