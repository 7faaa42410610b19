/**
 * The rollups the engine can read instead of a source's rows: what each
 * holds (its table, the days its kinds count, the dimensions and measure
 * conditions it keeps) as the compiler of rollup statements needs it. The
 * tables and the triggers that keep them exact are in the migrations
 * (`DealDailyRollup`, `CustomerDailyRollup`); docs/scaling.md explains them.
 */
import type { SourceName } from '../measures.js';
import type { Dimension } from '../types.js';

/** How a dimension reads from a rollup row `r`. */
export interface RollupDimension {
  expression: string;
}

/** A duration whose seconds and count the rollup sums. */
export interface RollupDuration {
  from: string;
  to: string;
  seconds: string;
  count: string;
}

export interface RollupModel {
  /** The rollup's rows as the source's rows name their columns (no sentinels), aliased `r` by the caller. */
  rows: string;
  /** A range measure's time field → the kind of rollup row that counts its day. */
  rangeKinds: Readonly<Record<string, number>>;
  /** A snapshot alive from `from` until `until`: its level at a day is `start` rows minus `end` rows before it. */
  snapshot: { from: string; until: string; startKind: number; endKind: number } | null;
  /** The row count column. */
  count: string;
  /** Summed numeric fields → their rollup column. */
  sums: Readonly<Record<string, string>>;
  durations: readonly RollupDuration[];
  /** Measure `where` fields whose columns the rollup keeps. */
  whereFields: readonly string[];
  /**
   * Measure `where` fields the rollup keeps only as a count of the rows where
   * they are set → that count's column: a count with that one condition sums it.
   */
  setCounts: Readonly<Record<string, string>>;
  dimensions: Partial<Readonly<Record<Dimension, RollupDimension>>>;
}

/** Deal kinds of day, as the migration's `kpigraph_deal_rollup_facts` writes them. */
const dealKinds = { created: 0, closed: 1, ended: 2 } as const;

const deals: RollupModel = {
  rows: `(SELECT "workspaceId", "kind", "day", NULLIF("teamId", 0) AS "teamId", "stage", "deals", "amount", "cycleDeals", "cycleSeconds" FROM "DealDailyRollup")`,
  rangeKinds: { createdAt: dealKinds.created, closedAt: dealKinds.closed },
  snapshot: { from: 'createdAt', until: 'closedAt', startKind: dealKinds.created, endKind: dealKinds.ended },
  count: 'deals',
  sums: { amount: 'amount' },
  durations: [{ from: 'createdAt', to: 'closedAt', seconds: 'cycleSeconds', count: 'cycleDeals' }],
  // Dimensions whose values are many (owners, campaigns) or conditions that
  // multiply its keys would make it as large as the rows: it keeps few.
  whereFields: ['stage'],
  setCounts: {},
  dimensions: {
    team: { expression: 'r."teamId"' },
    stage: { expression: 'r."stage"' },
  },
};

/** Customer kinds of day, as the migration's `kpigraph_customer_rollup_facts` writes them. */
const customerKinds = { created: 0, qualified: 1, converted: 2, churned: 3, ended: 4 } as const;

const customers: RollupModel = {
  rows: `(SELECT "workspaceId", "kind", "day", NULLIF("teamId", 0) AS "teamId", "customers", "converted", "fromCampaign" FROM "CustomerDailyRollup")`,
  rangeKinds: { createdAt: customerKinds.created, qualifiedAt: customerKinds.qualified, convertedAt: customerKinds.converted, churnedAt: customerKinds.churned },
  snapshot: { from: 'convertedAt', until: 'churnedAt', startKind: customerKinds.converted, endKind: customerKinds.ended },
  count: 'customers',
  sums: {},
  durations: [],
  // Channel, region, industry, owner and campaign would multiply its keys
  // (channel alone 4.6 times at M); the built-in KPIs' two conditions
  // (converted at all, brought by a campaign) are counts beside the total.
  whereFields: [],
  setCounts: { convertedAt: 'converted', campaign: 'fromCampaign' },
  dimensions: { team: { expression: 'r."teamId"' } },
};

/** Sources with a rollup. */
export const rollupModels: Partial<Readonly<Record<SourceName, RollupModel>>> = { deals, customers };
