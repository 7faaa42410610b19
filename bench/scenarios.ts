/**
 * The four scenarios: the GraphQL operation a client sends, how its answer
 * flattens to values, and the floor that computes the same values by hand.
 */
import type { Database } from '../src/db/client.js';
import { dashboardFloor, dashboardWindows, dealsPageFloor, singleKpiFloor } from './floor/index.js';
import { goalsPageFloor, goalsPageQuery, goalsPageValues } from './floor/goals.js';
import type { BenchPeriods } from './periods.js';
import type { Values } from './values.js';
import { num, rowIdOf } from './values.js';

export const scenarioNames = ['dashboard', 'single-kpi', 'goals-page', 'deals-page'] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export interface ScenarioContext {
  db: Database;
  workspaceId: number;
  periods: BenchPeriods;
}

export interface Scenario {
  name: ScenarioName;
  title: string;
  query: string;
  variables(ctx: ScenarioContext): Record<string, unknown>;
  /** The answer's numbers; throws when the answer is unusable. */
  serverValues(data: unknown): Values;
  /** Runs the floor's statements and returns the same numbers. */
  floor(ctx: ScenarioContext): Promise<Values>;
}

export const dashboardKpis = [
  'new_leads', 'valid_leads', 'new_customers', 'lead_conversion_rate', 'won_revenue', 'win_rate',
  'avg_deal_size', 'sales_cycle_days', 'open_deals', 'pipeline_value', 'active_customers', 'churn_rate',
] as const;

/**
 * A KPI the bench defines in its workspace at run time (defineKpi's stored
 * form), so the dashboard also asks for a derived value: it reads
 * won_revenue and new_customers, which the dashboard fetches anyway.
 */
export const dashboardFormulaKpi = {
  key: 'won_per_new_customer',
  name: 'Won revenue per new customer',
  description: 'Won revenue divided by the customers converted in the period.',
  unit: 'money',
  direction: 'higher',
  formula: 'won_revenue / new_customers',
  target: null,
} as const;

/** KPIs the dashboard also shows windowed: a rolling sum or rate, and a running total or to-date rate. */
export const dashboardWindowKpis = ['won_revenue', 'win_rate', dashboardFormulaKpi.key] as const;

const dashboardQuery = /* GraphQL */ `
  query Dashboard($keys: [String!]!, $windowKeys: [String!]!, $start: DateTime!, $rollingStart: DateTime!, $end: DateTime!) {
    kpis(keys: $keys) {
      key name unit
      series(range: { start: $start, end: $end }, grain: MONTH, by: TEAM) {
        start
        breakdown { key label value { value exact target status } }
      }
    }
    rolling: kpis(keys: $windowKeys) {
      key
      series(range: { start: $rollingStart, end: $end }, grain: MONTH, by: TEAM, window: { rolling: ${dashboardWindows.rollingMonths} }) {
        start
        breakdown { key value { exact } }
      }
    }
    running: kpis(keys: $windowKeys) {
      key
      series(range: { start: $start, end: $end }, grain: MONTH, by: TEAM, window: { cumulative: true }) {
        start
        breakdown { key value { exact } }
      }
    }
  }
`;

type DashboardSeries = { key: string; series: { start: string; breakdown: { key: string | null; value: { exact: string | null } }[] }[] }[];
interface DashboardData {
  kpis: DashboardSeries;
  rolling: DashboardSeries;
  running: DashboardSeries;
}

const singleKpiQuery = /* GraphQL */ `
  query SingleKpi($start: DateTime!, $end: DateTime!) {
    kpi(key: "win_rate") {
      value(period: { start: $start, end: $end }) { value exact numerator denominator target status }
    }
  }
`;

interface SingleKpiData {
  kpi: { value: { exact: string | null; numerator: string | null; denominator: string | null } };
}

const dealsPageQuery = /* GraphQL */ `
  query DealsPage {
    deals(first: 50) {
      edges { node { id title amount stage createdAt closedAt customer { name region } owner { name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

interface DealsPageData {
  deals: {
    edges: { node: { id: string; title: string; amount: string; stage: string; createdAt: string; closedAt: string | null; customer: { name: string; region: string | null }; owner: { name: string } | null } }[];
    pageInfo: { hasNextPage: boolean };
  };
}

/** The month a bucket starts in, as its 1-based index among the edges. */
const monthIndex = (periods: BenchPeriods, start: string): number => periods.monthEdges.findIndex((edge) => edge.getTime() === new Date(start).getTime()) + 1;

export function scenarios(periods: BenchPeriods): Record<ScenarioName, Scenario> {
  const range = (p: { start: Date; end: Date }) => ({ start: p.start.toISOString(), end: p.end.toISOString() });
  return {
    dashboard: {
      name: 'dashboard',
      title: 'Dashboard: 12 KPIs and a formula KPI × 12 months × every team, with targets; 3 of them rolling and cumulative',
      query: dashboardQuery,
      variables: () => ({
        keys: [...dashboardKpis, dashboardFormulaKpi.key],
        windowKeys: [...dashboardWindowKpis],
        start: periods.monthEdges[0]!.toISOString(),
        rollingStart: periods.monthEdges[dashboardWindows.rollingFirstMonth - 1]!.toISOString(),
        end: periods.monthEdges[12]!.toISOString(),
      }),
      serverValues(data) {
        const values: Values = new Map();
        const answer = data as DashboardData;
        for (const [prefix, kpis] of [['', answer.kpis], ['rolling:', answer.rolling], ['running:', answer.running]] as const) {
          for (const kpi of kpis) {
            for (const point of kpi.series) {
              const month = monthIndex(periods, point.start);
              if (month === 0) throw new Error(`${kpi.key}: a bucket starts at ${point.start}, not at a month edge`);
              for (const group of point.breakdown) values.set(`${prefix}${kpi.key}|${month}|${rowIdOf(group.key)}`, num(group.value.exact));
            }
          }
        }
        return values;
      },
      floor: (ctx) => dashboardFloor(ctx.db, ctx.workspaceId, periods.monthEdges),
    },
    'single-kpi': {
      name: 'single-kpi',
      title: 'Single KPI (win rate) for last quarter',
      query: singleKpiQuery,
      variables: () => range(periods.lastQuarter),
      serverValues(data) {
        const value = (data as SingleKpiData).kpi.value;
        return new Map([
          ['value', num(value.exact)],
          ['won', num(value.numerator)],
          ['closed', num(value.denominator)],
        ]);
      },
      floor: (ctx) => singleKpiFloor(ctx.db, ctx.workspaceId, periods.lastQuarter),
    },
    'goals-page': {
      name: 'goals-page',
      title: 'Goals page: 100 goals with progress',
      query: goalsPageQuery,
      variables: () => ({}),
      serverValues: goalsPageValues,
      floor: (ctx) => goalsPageFloor(ctx.db, ctx.workspaceId),
    },
    'deals-page': {
      name: 'deals-page',
      title: 'Deals page: 50 newest deals with customers and owners',
      query: dealsPageQuery,
      variables: () => ({}),
      serverValues(data) {
        const page = (data as DealsPageData).deals;
        const values: Values = new Map([['hasNextPage', page.pageInfo.hasNextPage ? 1 : 0]]);
        page.edges.forEach(({ node }, i) => {
          values.set(`${i}|id`, rowIdOf(node.id));
          values.set(`${i}|title`, node.title);
          values.set(`${i}|amount`, num(node.amount));
          values.set(`${i}|stage`, node.stage);
          values.set(`${i}|createdAt`, new Date(node.createdAt).getTime());
          values.set(`${i}|closedAt`, node.closedAt === null ? null : new Date(node.closedAt).getTime());
          values.set(`${i}|customer`, `${node.customer.name}/${node.customer.region ?? ''}`);
          values.set(`${i}|owner`, node.owner?.name ?? null);
        });
        return values;
      },
      floor: (ctx) => dealsPageFloor(ctx.db, ctx.workspaceId),
    },
  };
}
