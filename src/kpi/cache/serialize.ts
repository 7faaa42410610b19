import { Decimal } from 'decimal.js';
import type { CellValues, GroupKey } from '../define.js';
import type { KpiResult, NullReason } from '../types.js';

interface StoredResult {
  v: string | null;
  r?: NullReason;
  n?: string;
  d?: string;
  s?: number;
}

/** A cell's values as JSON: decimals as their exact strings. */
export function serializeCellValues(values: CellValues): string {
  const entries: [GroupKey, StoredResult][] = [];
  for (const [group, result] of values) {
    entries.push([
      group,
      {
        v: result.value === null ? null : result.value.toString(),
        ...(result.reason ? { r: result.reason } : {}),
        ...(result.numerator ? { n: result.numerator.toString() } : {}),
        ...(result.denominator ? { d: result.denominator.toString() } : {}),
        ...(result.sampleSize !== undefined ? { s: result.sampleSize } : {}),
      },
    ]);
  }
  return JSON.stringify(entries);
}

export function deserializeCellValues(text: string): CellValues {
  const entries = JSON.parse(text) as [GroupKey, StoredResult][];
  return new Map(
    entries.map(([group, stored]): [GroupKey, KpiResult] => [
      group,
      {
        value: stored.v === null ? null : new Decimal(stored.v),
        ...(stored.r ? { reason: stored.r } : {}),
        ...(stored.n !== undefined ? { numerator: new Decimal(stored.n) } : {}),
        ...(stored.d !== undefined ? { denominator: new Decimal(stored.d) } : {}),
        ...(stored.s !== undefined ? { sampleSize: stored.s } : {}),
      },
    ]),
  );
}

/** Values that depend on more than the data (a plugin's failure, a timeout) are not kept. */
export function isCacheable(values: CellValues): boolean {
  for (const result of values.values()) {
    if (result.reason?.code === 'PLUGIN_ERROR' || result.reason?.code === 'TIMEOUT') return false;
  }
  return true;
}
