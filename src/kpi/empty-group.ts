/**
 * What a KPI is over a group without any record in its period: the formula
 * over measures that read no rows (0 for counts and sums, a zero-denominator
 * null for rates), which is what the cell filtered to that group gives. Only
 * an inputs KPI can be worked out so; a compute plugin has no formula to ask.
 */
import type { ValidCell } from './cell.js';
import type { KpiDefinition, MeasureValues, PercentileValue } from './define.js';
import { checkResult } from './result-check.js';
import type { Measure } from './measures.js';
import { decodeMeasure } from './sql/compile.js';
import type { KpiResult } from './types.js';

const noRows: PercentileValue = { value: null, count: 0 };

/** The cell's value over no records; undefined for a compute plugin or a formula that fails on zeros. */
export function emptyGroupResult(valid: ValidCell): KpiResult | undefined {
  if (valid.definition.kind !== 'inputs') return undefined;
  const definition = valid.definition as KpiDefinition & { kind: 'inputs' };
  const values: Record<string, unknown> = {};
  for (const [name, measure] of Object.entries(definition.inputs)) {
    values[name] = measure.kind === 'percentile' ? noRows : decodeMeasure(measure.kind, 1, []);
  }
  try {
    const result = definition.formula(values as MeasureValues<Record<string, Measure>>, { params: valid.cell.params, period: valid.cell.period });
    return checkResult(result, definition.key);
  } catch {
    // Left to the filtered cell, which reports the formula's failure itself.
    return undefined;
  }
}
