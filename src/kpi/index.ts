/**
 * The KPI engine's public API for the server side (GraphQL layer, goals,
 * CLI). Plugins import `./sdk.js` instead.
 */
export type { KpiCellKey } from './cell.js';
export { cellCacheKey } from './cell.js';
export { missingGroupKey, ungrouped } from './define.js';
export type { CellValues, GroupKey, KpiCell, KpiDefinition } from './define.js';
export { createKpiLoader } from './engine.js';
export type { KpiBatchStats, KpiEngineOptions, KpiLoader, KpiLoaderConfig } from './engine.js';
export { KpiInputError, KpiPluginError, PluginRegistryError } from './errors.js';
export {
  addUnits,
  bucketize,
  calendarUnits,
  comparisonPeriod,
  defaultMaxBuckets,
  defaultMaxRangeDays,
  grains,
  resolvePeriod,
  startOf,
  validateRange,
} from './periods.js';
export type { ComparisonKind, Grain, NamedPeriod, PeriodInput, PeriodLimits, PeriodOptions, ResolvedPeriod } from './periods.js';
export { createRegistry } from './registry.js';
export type { KpiRegistry, RegisteredKpi } from './registry.js';
export { rfmForCustomers } from './rfm.js';
export type { CustomerRfm } from './rfm.js';
export { rfmSegments } from './rfm-segments.js';
export type { RfmSegment } from './rfm-segments.js';
export { attainment, statusAgainstTarget, targetFor } from './targets.js';
export type { TargetStatus } from './targets.js';
export { evaluateKpi } from './testkit.js';
export { assertTimeZone } from './periods.js';
export type { Dimension, DimensionFilter, Direction, KpiResult, LifecycleStage, NullReason, TimeRange, Unit } from './types.js';
export { allDimensions } from './types.js';
