/**
 * The check every KPI result passes on its way out of a plugin's formula,
 * compute or combine, whichever runner called it.
 */
import { Decimal } from 'decimal.js';
import type { KpiResult } from './types.js';

/** Keeps formulas honest: a value is a finite Decimal or null. */
export function checkResult(result: unknown, kpiKey: string): KpiResult {
  const r = result as Partial<KpiResult> | null;
  if (typeof r !== 'object' || r === null || !('value' in r)) {
    return { value: null, reason: { code: 'PLUGIN_ERROR', message: `KPI "${kpiKey}" returned no result.` } };
  }
  if (r.value !== null && !(Decimal.isDecimal(r.value) && r.value.isFinite())) {
    return { value: null, reason: { code: 'PLUGIN_ERROR', message: `KPI "${kpiKey}" returned a value that is not a finite number.` } };
  }
  return r as KpiResult;
}
