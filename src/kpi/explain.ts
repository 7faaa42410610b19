/**
 * Explain: what the engine would do for some cells, without running them.
 * Each cell is validated and given its path (the result cache, the engine's
 * statements over the tables, or a compute plugin's own query); the cells
 * the engine would compute are planned and compiled exactly as a batch
 * would be, and the plan and the statements (SQL and parameters) are
 * returned as plain data.
 */
import type { KpiCellKey, ValidCell } from './cell.js';
import { validateCell } from './cell.js';
import { cachedCells } from './cache/cached-batch.js';
import { derivedOrigin } from './derived.js';
import type { KpiLoaderConfig } from './engine.js';
import { cellCacheScope } from './engine.js';
import type { MeasureGroupPath, UnitKind } from './inputs/compile.js';
import { compileInputs } from './inputs/compile.js';
import type { InputsPlan } from './inputs/plan.js';
import { planInputs } from './inputs/plan.js';
import type { SourceName } from './measures.js';
import type { Dimension, DimensionFilter, TimeRange } from './types.js';

/**
 * How a cell would be answered: `cache` from the result cache (no
 * statement), `raw` by the engine's statements below, `plugin` by a compute
 * plugin's own query, `invalid` not at all (see its error).
 */
export type ExplainPath = 'cache' | 'raw' | 'plugin' | 'invalid';

export interface ExplainedCell {
  kpiKey: string;
  period: TimeRange;
  filter: DimensionFilter;
  params: Record<string, unknown>;
  groupBy: Dimension | null;
  path: ExplainPath;
  /** For a derived KPI: its components, by the name its formula gives each. */
  components: Readonly<Record<string, string>> | null;
  /** Why an invalid cell would fail. */
  error: string | null;
}

/** A source's one statement, as it would be sent. */
export interface ExplainedStatement {
  source: SourceName;
  sql: string;
  params: unknown[];
  /** Its branches: how each reads the table, and the plan's groups it answers. */
  units: { kind: UnitKind; groups: number[] }[];
  /** Why it could not be compiled (its cells would fail); then there is no SQL. */
  error: string | null;
  /** Each of its plan groups: read from the daily rollup or the rows, and why. */
  paths: MeasureGroupPath[];
}

export interface KpiExplanation {
  cells: ExplainedCell[];
  /** Whether the server keeps computed cells in a result cache. */
  cacheEnabled: boolean;
  /** The plan of the cells on the `raw` path (its cells in their order among those). */
  plan: InputsPlan;
  statements: ExplainedStatement[];
}

/** The overall path: raw when any statement would run, else plugin when a plugin would, else cache when it would answer any cell, else invalid. */
export function overallPath(explanation: KpiExplanation): ExplainPath {
  const paths = new Set(explanation.cells.map((cell) => cell.path));
  return (['raw', 'plugin', 'cache'] as const).find((path) => paths.has(path)) ?? 'invalid';
}

/** Explains cells for a loader's configuration (the same workspace, registry, limits and cache). */
export async function explainCells(config: KpiLoaderConfig, keys: readonly KpiCellKey[]): Promise<KpiExplanation> {
  const scope = cellCacheScope(config);
  const validated = keys.map((key): ValidCell | Error => {
    try {
      return validateCell(key, config.registry, config.options ?? {});
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  });
  const validKeys = keys.filter((_key, index) => !(validated[index] instanceof Error));
  const cached = scope ? await cachedCells(scope, validKeys) : validKeys.map(() => false);
  let next = 0;
  const raw: ValidCell[] = [];
  const cells = validated.map((valid, index): ExplainedCell => {
    const key = keys[index]!;
    if (valid instanceof Error) {
      return { kpiKey: key.kpiKey, period: key.period, filter: key.filter ?? {}, params: key.params ?? {}, groupBy: key.groupBy ?? null, path: 'invalid', components: null, error: valid.message };
    }
    const path: ExplainPath = cached[next++] ? 'cache' : valid.definition.kind === 'inputs' ? 'raw' : 'plugin';
    if (path === 'raw') raw.push(valid);
    const { period, filter, params, groupBy } = valid.cell;
    return { kpiKey: valid.definition.key, period, filter, params, groupBy, path, components: derivedOrigin(valid.definition)?.components ?? null, error: null };
  });
  const plan = planInputs(raw);
  const statements = compileInputs(config.workspaceId, plan, config.options?.rollups === false ? null : { timeZone: config.timeZone }).map((compiled): ExplainedStatement =>
    'error' in compiled
      ? { source: compiled.source, sql: '', params: [], units: [], error: compiled.error.message, paths: compiled.paths }
      : { source: compiled.source, sql: compiled.sql, params: compiled.params, units: compiled.units.map((unit) => ({ kind: unit.kind, groups: unit.groups })), error: null, paths: compiled.paths },
  );
  return { cells, cacheEnabled: scope !== undefined, plan, statements };
}
