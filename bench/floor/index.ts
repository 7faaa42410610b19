/**
 * The floor: each scenario's numbers from the fewest hand-written statements,
 * sent straight to the driver (pg pool or PGlite) through `db.query`, with no
 * GraphQL, no engine and no Prisma in between.
 */
import { readFileSync } from 'node:fs';
import type { Database } from '../../src/db/client.js';
import type { Values } from '../values.js';
import { num } from '../values.js';

const sql = (name: string): string => readFileSync(new URL(`./${name}.sql`, import.meta.url), 'utf8');

export const floorSql = {
  dashboard: sql('dashboard'),
  singleKpi: sql('single-kpi'),
  dealsPage: sql('deals-page'),
};

const dashboardColumns = [
  'new_leads', 'valid_leads', 'new_customers', 'lead_conversion_rate', 'won_revenue', 'win_rate',
  'avg_deal_size', 'sales_cycle_days', 'open_deals', 'pipeline_value', 'active_customers', 'churn_rate',
] as const;

type DashboardRow = { m: number; team: number | null; won: unknown; closed: unknown } & Record<(typeof dashboardColumns)[number], unknown>;

/** The dashboard's windowed series: a rolling one over its last months, a cumulative one over the year. */
export const dashboardWindows = { rollingMonths: 3, rollingFirstMonth: 3 } as const;

interface MonthSums {
  won: number;
  closed: number;
  wonRevenue: number;
  converted: number;
}

/** won_revenue, win_rate and won_per_new_customer over a window, from its months' sums. */
function windowValues(values: Values, prefix: string, team: string, month: number, months: readonly (MonthSums | undefined)[]): void {
  const sum = months.reduce<MonthSums>(
    (total, m) => (m ? { won: total.won + m.won, closed: total.closed + m.closed, wonRevenue: total.wonRevenue + m.wonRevenue, converted: total.converted + m.converted } : total),
    { won: 0, closed: 0, wonRevenue: 0, converted: 0 },
  );
  values.set(`${prefix}:won_revenue|${month}|${team}`, sum.wonRevenue);
  values.set(`${prefix}:win_rate|${month}|${team}`, sum.closed === 0 ? null : sum.won / sum.closed);
  values.set(`${prefix}:won_per_new_customer|${month}|${team}`, sum.converted === 0 ? null : sum.wonRevenue / sum.converted);
}

export async function dashboardFloor(db: Database, workspaceId: number, monthEdges: readonly Date[]): Promise<Values> {
  const { rows } = await db.query<DashboardRow>(floorSql.dashboard, [workspaceId, monthEdges.map((edge) => edge.toISOString())]);
  const values: Values = new Map();
  const byTeam = new Map<string, (MonthSums | undefined)[]>();
  for (const row of rows) {
    const team = row.team === null ? 'none' : String(row.team);
    for (const column of dashboardColumns) values.set(`${column}|${row.m}|${team}`, num(row[column]));
    // The bench's formula KPI, won_revenue / new_customers, from the same row.
    const won = num(row.won_revenue) ?? 0;
    const converted = num(row.new_customers) ?? 0;
    values.set(`won_per_new_customer|${row.m}|${team}`, converted === 0 ? null : won / converted);
    let months = byTeam.get(team);
    if (!months) byTeam.set(team, (months = []));
    months[row.m] = { won: num(row.won) ?? 0, closed: num(row.closed) ?? 0, wonRevenue: won, converted };
  }
  // The windowed series, from the same rows: sums over each window's months.
  for (const [team, months] of byTeam) {
    for (let m = 1; m <= 12; m++) {
      windowValues(values, 'running', team, m, months.slice(1, m + 1));
      if (m >= dashboardWindows.rollingFirstMonth) windowValues(values, 'rolling', team, m, months.slice(m - dashboardWindows.rollingMonths + 1, m + 1));
    }
  }
  return values;
}

export async function singleKpiFloor(db: Database, workspaceId: number, period: { start: Date; end: Date }): Promise<Values> {
  const { rows } = await db.query<{ won: number | string; closed: number | string }>(floorSql.singleKpi, [workspaceId, period.start.toISOString(), period.end.toISOString()]);
  const won = Number(rows[0]!.won);
  const closed = Number(rows[0]!.closed);
  return new Map([
    ['value', closed === 0 ? null : won / closed],
    ['won', won],
    ['closed', closed],
  ]);
}

interface DealRow {
  id: number;
  title: string;
  amount: string;
  stage: string;
  createdAt: Date | string;
  closedAt: Date | string | null;
  customer: string;
  region: string;
  owner: string | null;
}

export async function dealsPageFloor(db: Database, workspaceId: number): Promise<Values> {
  const { rows } = await db.query<DealRow>(floorSql.dealsPage, [workspaceId]);
  const values: Values = new Map([['hasNextPage', rows.length > 50 ? 1 : 0]]);
  rows.slice(0, 50).forEach((row, i) => {
    values.set(`${i}|id`, String(row.id));
    values.set(`${i}|title`, row.title);
    values.set(`${i}|amount`, num(row.amount));
    values.set(`${i}|stage`, row.stage);
    values.set(`${i}|createdAt`, new Date(row.createdAt).getTime());
    values.set(`${i}|closedAt`, row.closedAt === null ? null : new Date(row.closedAt).getTime());
    values.set(`${i}|customer`, `${row.customer}/${row.region}`);
    values.set(`${i}|owner`, row.owner);
  });
  return values;
}
