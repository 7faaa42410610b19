/**
 * The rollups the engine can read instead of a source's rows: what each
 * holds (its table, the days its kinds count, the dimensions and measure
 * conditions it keeps) as the compiler of rollup statements needs it. The
 * tables and the triggers that keep them exact are in the migrations
 * (`DealDailyRollup`); docs/scaling.md explains them.
 */
import type { SourceName } from '../measures.js';
import type { Dimension } from '../types.js';

/** How a dimension reads from a rollup row `r`: its column, through the owner for a team. */
export interface RollupDimension {
  expression: string;
  /** The join it needs, given the workspace parameter; null for a column of the row. */
  join: ((workspaceParam: string) => string) | null;
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
  rows: `(SELECT "workspaceId", "kind", "day", NULLIF("ownerId", 0) AS "ownerId", "stage", "type", "productLine",
      NULLIF("campaignId", 0) AS "campaignId", "deals", "amount", "cycleDeals", "cycleSeconds" FROM "DealDailyRollup")`,
  rangeKinds: { createdAt: dealKinds.created, closedAt: dealKinds.closed },
  snapshot: { from: 'createdAt', until: 'closedAt', startKind: dealKinds.created, endKind: dealKinds.ended },
  count: 'deals',
  sums: { amount: 'amount' },
  durations: [{ from: 'createdAt', to: 'closedAt', seconds: 'cycleSeconds', count: 'cycleDeals' }],
  whereFields: ['stage', 'type', 'productLine', 'campaign'],
  dimensions: {
    team: { expression: 'r_owner."teamId"', join: (ws) => `LEFT JOIN "User" r_owner ON r_owner.id = r."ownerId" AND r_owner."workspaceId" = ${ws}` },
    owner: { expression: 'r."ownerId"', join: null },
    stage: { expression: 'r."stage"', join: null },
    dealType: { expression: 'r."type"', join: null },
    productLine: { expression: 'r."productLine"', join: null },
    campaign: { expression: 'r."campaignId"', join: null },
  },
};

/** Sources with a rollup. */
export const rollupModels: Partial<Readonly<Record<SourceName, RollupModel>>> = { deals };

/** The SQL that rebuilds one workspace's rollups from its rows. */
export const rollupRebuildSql: readonly string[] = ['SELECT "kpigraph_rebuild_deal_rollup"($1::int)'];
