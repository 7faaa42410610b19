/**
 * The kpigraph plugin SDK (`import { defineKpi, deals, ratio } from 'kpigraph/sdk'`).
 * A KPI plugin imports nothing else: it is data plus a pure formula.
 */
export { Decimal } from 'decimal.js';
export { z } from 'zod';
export { defineKpi, missingGroupKey, ungrouped } from './define.js';
export type {
  CellValues,
  ComputeContext,
  ComputeKpiSpec,
  GroupKey,
  InputsKpiSpec,
  KpiCell,
  KpiContext,
  KpiDefinition,
  KpiPlugin,
  MeanValue,
  MeasureValue,
  PercentileValue,
  MeasureValues,
  Pacing,
  ParamsSchema,
  TargetSpec,
} from './define.js';
export type { DerivedKpiDefinition, DerivedKpiSpec } from './derived.js';
export { activities, customers, deals, ledger, payments, spend, stageEvents, surveyResponses, tickets } from './builders.js';
export type { SourceBuilder } from './builders.js';
export type * from './measures.js';
export { mapValue, mean, noValue, percentile, ratio, value } from './formula-helpers.js';
export { allDimensions } from './types.js';
export type * from './types.js';
export { batchCells, periodArrays } from './compute-helpers.js';
export type { CellBatch } from './compute-helpers.js';
export { KpiInputError } from './errors.js';
export { classifyRfm, rfmSegmentOf, rfmSegments } from './rfm-segments.js';
export type { RfmSegment, RfmTotals } from './rfm-segments.js';
