/**
 * The rollups the engine can read instead of a source's rows: what each
 * holds (its table, the days its kinds count, the dimensions and measure
 * conditions it keeps) as the compiler of rollup statements needs it. The
 * tables and the triggers that keep them exact are in the migrations
 * (`DealDailyRollup`); docs/scaling.md explains them.
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
  dimensions: {
    team: { expression: 'r."teamId"' },
    stage: { expression: 'r."stage"' },
  },
};

/** Sources with a rollup. */
export const rollupModels: Partial<Readonly<Record<SourceName, RollupModel>>> = { deals };

/** The SQL that rebuilds one workspace's rollups from its rows. */
export const rollupRebuildSql: readonly string[] = ['SELECT "kpigraph_rebuild_deal_rollup"($1::int)'];
