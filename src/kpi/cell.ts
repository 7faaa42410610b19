/**
 * A cell as callers ask for it, its stable cache key, and its validation
 * against the KPI it names. Validation errors are per cell: one bad cell
 * never fails the others of a batch.
 */
import type { KpiCell, KpiDefinition } from './define.js';
import { isZodObject } from './definition-checks.js';
import { KpiInputError } from './errors.js';
import type { PeriodLimits } from './periods.js';
import { validateRange } from './periods.js';
import { stableJson } from './stable-json.js';
import type { KpiRegistry } from './registry.js';
import type { Dimension, DimensionFilter, TimeRange } from './types.js';
import { allDimensions } from './types.js';

/** What a resolver asks the loader for: a KPI over a period, filtered, with params, optionally grouped. */
export interface KpiCellKey {
  kpiKey: string;
  period: TimeRange;
  filter?: DimensionFilter;
  params?: Record<string, unknown>;
  groupBy?: Dimension | null;
  /** A second dimension: groups keyed by both (see grouping.ts). Inputs KPIs only. */
  thenBy?: Dimension | null;
}

/** A cell that passed validation, with its params parsed (defaults applied). */
export interface ValidCell {
  definition: KpiDefinition;
  source: string;
  cell: KpiCell;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The filter with dimensions and values sorted and empty entries dropped, so equal filters compare equal. */
export function canonicalFilter(filter: DimensionFilter | undefined): DimensionFilter {
  const out: DimensionFilter = {};
  for (const dimension of Object.keys(filter ?? {}).sort() as Dimension[]) {
    const values = filter?.[dimension];
    if (values !== undefined) out[dimension] = [...new Set(values.map(String))].sort();
  }
  return out;
}

/** Cell keys are never changed once made; the loader and the result cache both ask for each one's key. */
const cacheKeys = new WeakMap<KpiCellKey, string>();

/** A key equal for equal cells whatever the order of object keys or filter values. */
export function cellCacheKey(key: KpiCellKey): string {
  let cached = cacheKeys.get(key);
  if (cached === undefined) cacheKeys.set(key, (cached = computeCellCacheKey(key)));
  return cached;
}

function computeCellCacheKey(key: KpiCellKey): string {
  return JSON.stringify([
    key.kpiKey,
    key.period.start instanceof Date ? key.period.start.getTime() : String(key.period.start),
    key.period.end instanceof Date ? key.period.end.getTime() : String(key.period.end),
    canonicalFilter(key.filter),
    key.params === undefined || Object.keys(key.params).length === 0 ? {} : (JSON.parse(stableJson(key.params)) as unknown),
    key.groupBy ?? null,
    ...(key.thenBy ? [key.thenBy] : []),
  ]);
}

/** Validates a cell against its KPI; throws KpiInputError naming the input at fault. */
export function validateCell(key: KpiCellKey, registry: KpiRegistry, limits: PeriodLimits): ValidCell {
  const definition = registry.get(key.kpiKey);
  if (!definition) throw new KpiInputError('kpiKey', `Unknown KPI "${key.kpiKey}".`);
  if (!isRecord(key.period)) throw new KpiInputError('period', 'A period { start, end } is required.');
  validateRange(key.period, limits, 'period');
  const allowed = definition.dimensions;
  const filter = key.filter ?? {};
  if (!isRecord(filter)) throw new KpiInputError('filter', 'The filter must map dimensions to lists of values.');
  for (const [dimension, values] of Object.entries(filter)) {
    if (values === undefined) continue;
    if (!allDimensions.includes(dimension as Dimension)) throw new KpiInputError(`filter.${dimension}`, `Unknown dimension "${dimension}".`);
    if (!allowed.includes(dimension as Dimension)) {
      throw new KpiInputError(`filter.${dimension}`, `KPI "${definition.key}" cannot be filtered by ${dimension}; it offers ${allowed.join(', ') || 'no dimensions'}.`);
    }
    if (!Array.isArray(values) || values.some((value) => typeof value !== 'string')) {
      throw new KpiInputError(`filter.${dimension}`, `The ${dimension} filter must be a list of strings (ids as strings).`);
    }
  }
  const groupBy = key.groupBy ?? null;
  if (groupBy !== null && !allowed.includes(groupBy)) {
    throw new KpiInputError('groupBy', `KPI "${definition.key}" cannot be grouped by ${String(groupBy)}; it offers ${allowed.join(', ') || 'no dimensions'}.`);
  }
  const thenBy = key.thenBy ?? null;
  if (thenBy !== null) checkThenBy(definition, groupBy, thenBy);
  return {
    definition,
    source: registry.sourceOf(key.kpiKey) ?? key.kpiKey,
    cell: {
      period: { start: key.period.start, end: key.period.end },
      filter: canonicalFilter(filter),
      params: parseParams(definition, key.params ?? {}),
      groupBy,
      ...(thenBy !== null ? { thenBy } : {}),
    },
  };
}

function checkThenBy(definition: KpiDefinition, groupBy: Dimension | null, thenBy: Dimension): void {
  const allowed = definition.dimensions;
  if (groupBy === null) throw new KpiInputError('thenBy', 'A second dimension needs a first one (by).');
  if (thenBy === groupBy) throw new KpiInputError('thenBy', `The second dimension must differ from the first (${groupBy}).`);
  if (!allowed.includes(thenBy)) {
    throw new KpiInputError('thenBy', `KPI "${definition.key}" cannot be grouped by ${String(thenBy)}; it offers ${allowed.join(', ') || 'no dimensions'}.`);
  }
  if (definition.kind !== 'inputs') throw new KpiInputError('thenBy', `KPI "${definition.key}" computes with its own query and can be broken down by one dimension only.`);
}

function parseParams(definition: KpiDefinition, params: Record<string, unknown>): Record<string, unknown> {
  if (!isRecord(params)) throw new KpiInputError('params', 'params must be an object.');
  const schema = definition.params;
  const known = schema && isZodObject(schema) ? Object.keys(schema.shape) : [];
  for (const name of Object.keys(params)) {
    if (!known.includes(name)) {
      throw new KpiInputError(`params.${name}`, `KPI "${definition.key}" has no parameter "${name}"${known.length > 0 ? `; it takes ${known.join(', ')}` : ''}.`);
    }
  }
  if (!schema) return {};
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const issues = parsed.error.issues;
  const first = issues[0];
  const path = first && first.path.length > 0 ? `params.${first.path.map(String).join('.')}` : 'params';
  throw new KpiInputError(path, `Invalid params for KPI "${definition.key}": ${issues.map((issue) => `${issue.path.map(String).join('.') || '(params)'}: ${issue.message}`).join('; ')}.`);
}
