/**
 * Runs compute-KPI cells: one `compute` call per KPI per batch, each bounded
 * by the plugin's time limit. A plugin that throws, times out or answers
 * badly fails only its own cells.
 */
import type { Database } from '../db/client.js';
import type { ValidCell } from './cell.js';
import { createComputeContext } from './compute-context.js';
import type { CellValues, GroupKey, KpiDefinition } from './define.js';
import { KpiPluginError } from './errors.js';
import { checkResult } from './result-check.js';
import type { KpiResult } from './types.js';

export const defaultComputeTimeoutMs = 10_000;

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function checkValues(values: unknown, kpiKey: string): CellValues | Error {
  if (values instanceof Error) return values;
  if (!(values instanceof Map)) return new Error(`KPI "${kpiKey}" returned something other than a Map of values for a cell.`);
  const checked = new Map<GroupKey, KpiResult>();
  for (const [key, result] of values as Map<unknown, unknown>) checked.set(String(key), checkResult(result, kpiKey));
  return checked;
}

/** Runs the cells of one compute KPI; values (or an Error) in the cells' order. */
export async function runComputeCells(
  db: Database,
  workspaceId: number,
  timeZone: string,
  cells: readonly ValidCell[],
  defaultTimeoutMs: number,
): Promise<(CellValues | Error)[]> {
  const first = cells[0];
  if (!first) return [];
  const definition = first.definition as KpiDefinition & { kind: 'compute' };
  const { key } = definition;
  const source = first.source;
  const limit = definition.timeoutMs ?? defaultTimeoutMs;
  const handle = createComputeContext(db, workspaceId, timeZone, key);
  try {
    const work = Promise.resolve().then(() => definition.compute(cells.map((c) => c.cell), handle.context));
    const values = await withTimeout(
      work,
      limit,
      () => new KpiPluginError(key, source, `KPI plugin "${key}" (${source}) timed out after ${limit} ms.`, 'TIMEOUT'),
    );
    if (!Array.isArray(values) || values.length !== cells.length) {
      const error = new KpiPluginError(key, source, `KPI plugin "${key}" (${source}) returned ${Array.isArray(values) ? values.length : 'no'} values for ${cells.length} cells.`);
      return cells.map(() => error);
    }
    return values.map((value: unknown) => checkValues(value, key));
  } catch (error) {
    const failure =
      error instanceof KpiPluginError
        ? error
        : new KpiPluginError(key, source, `KPI plugin "${key}" (${source}) failed: ${error instanceof Error ? error.message : String(error)}`);
    return cells.map(() => failure);
  } finally {
    handle.close();
  }
}
