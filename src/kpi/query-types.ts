/**
 * What the KPI query service (query-service.ts) is built from and asked:
 * its options, and the shapes of a value, breakdown, series and records query.
 */
import type { KpiCellKey } from './cell.js';
import type { KpiDefinition } from './define.js';
import type { RecordDrill } from './drill-through.js';
import type { KpiLoader } from './engine.js';
import type { KpiExplanation } from './explain.js';
import type { GroupMembers } from './group-members.js';
import type { KpiGroupValue, KpiValue } from './kpi-value.js';
import type { Grain, PeriodLimits, ResolvedPeriod } from './periods.js';
import type { KpiRegistry } from './registry.js';
import type { RfmLoader } from './rfm-loader.js';
import type { ComparedWith } from './series-points.js';
import type { RecordPosition } from './sql/record-ids.js';
import type { Dimension, DimensionFilter, LifecycleStage, TimeRange } from './types.js';
import type { SeriesWindow } from './windows.js';

export interface KpiQueryServiceOptions {
  /** The request's engine loader (unscoped: the service applies the team scope). */
  engine: KpiLoader;
  registry: KpiRegistry;
  timeZone: string;
  members: GroupMembers;
  rfm: RfmLoader;
  /** The team a team-limited key sees: every cell is kept to it, and a KPI without a team dimension is refused. */
  teamScope?: number | null;
  limits?: PeriodLimits;
  /** Reads the records behind count and money KPIs (drill-through). */
  drill?: RecordDrill;
  /** What the engine would do for cells (plan and statements), without running them. */
  explain?: (keys: KpiCellKey[]) => Promise<KpiExplanation>;
}

/** A KPI over a period within a filter. */
export interface KpiQuery {
  definition: KpiDefinition;
  period: ResolvedPeriod;
  filter?: DimensionFilter;
  params?: Record<string, unknown>;
}

export interface ValueQuery extends KpiQuery, ComparedWith {
  /** Use the target of this lifecycle stage. */
  stage?: LifecycleStage | undefined;
}

export interface BreakdownQuery extends KpiQuery, ComparedWith {
  by: Dimension;
  /**
   * A second dimension (inputs KPIs): one group per pair of values that has
   * records, keyed by `by` with the second part in `second`. Pairs are not
   * completed: the members of two dimensions would multiply.
   */
  thenBy?: Dimension | null;
  /** Order by value (groups without one last); by default groups come in key order. */
  order?: 'ASC' | 'DESC' | null;
  /** Keep this many groups; the rest become one `(other)` group. */
  first?: number | null;
}

export interface SeriesQuery extends Omit<KpiQuery, 'period'>, ComparedWith {
  range: TimeRange;
  grain: Grain;
  by?: Dimension | null;
  /** Each point covers this window instead of its bucket (windows.ts); with `compareToPeriod`, point i is compared with its i-th bucket. */
  window?: SeriesWindow | null;
}

export interface RecordsQuery extends Omit<KpiQuery, 'params'> {
  /** How many records to return. */
  first: number;
  /** Start after this record (from a previous page). */
  after?: RecordPosition | null;
}

/** One bucket of a series; its value and breakdown are worked out when asked (and batched with the rest). */
export interface KpiPoint {
  bucket: TimeRange;
  value(): Promise<KpiValue>;
  /** One value per group when the series was asked with `by`; empty otherwise. */
  breakdown(): Promise<KpiGroupValue[]>;
}
