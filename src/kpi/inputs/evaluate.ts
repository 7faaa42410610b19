/**
 * Evaluate: rows become values. Each unit's rows become its groups'
 * outcomes (per period and group key; bucketed rows are expanded into
 * periods), and each cell's formula runs per group key over its inputs'
 * exact decoded measures.
 */
import type { ValidCell } from '../cell.js';
import type { GroupKey, KpiDefinition, MeasureValues } from '../define.js';
import { ungrouped } from '../define.js';
import { KpiPluginError } from '../errors.js';
import type { Measure } from '../measures.js';
import type { GroupResult } from '../sql/bucket-expansion.js';
import { checkResult } from '../result-check.js';
import type { KpiResult } from '../types.js';
import type { InputRef, InputsPlan } from './plan.js';
import type { SourceRows } from './run.js';

/** Each planned group's outcome (or its source's error), by group index. */
export function groupOutcomes(plan: InputsPlan, sources: readonly SourceRows[]): (GroupResult | Error | undefined)[] {
  const outcomes: (GroupResult | Error | undefined)[] = new Array<GroupResult | Error | undefined>(plan.groups.length);
  for (const entry of sources) {
    const fail = (error: unknown) => {
      for (const group of entry.source.groups) outcomes[group] = error instanceof Error ? error : new Error(String(error));
    };
    if ('error' in entry) {
      fail(entry.error);
      continue;
    }
    try {
      const found = new Map<number, GroupResult>();
      entry.source.units.forEach((unit, index) => unit.outcomes(entry.rows[index]!).forEach((outcome, g) => found.set(unit.groups[g]!, outcome)));
      for (const [group, outcome] of found) outcomes[group] = outcome;
    } catch (error) {
      fail(error);
    }
  }
  return outcomes;
}

/** A cell's values per group key, and its formula over no rows (a group absent from the rows). */
export interface EvaluatedCell {
  results: Map<GroupKey, KpiResult>;
  resultFor(key: GroupKey | null): KpiResult;
}

/** Runs a cell's formula per group key; an Error when an input has no outcome or the formula throws. */
export function evaluateCell(valid: ValidCell, inputs: Readonly<Record<string, InputRef>>, outcomes: readonly (GroupResult | Error | undefined)[]): EvaluatedCell | Error {
  const resolved: [string, InputRef, GroupResult][] = [];
  for (const [name, ref] of Object.entries(inputs)) {
    const outcome = outcomes[ref.group];
    if (!outcome || outcome instanceof Error) return new Error(`KPI "${valid.definition.key}" could not be computed: ${outcome?.message ?? 'no result'}`, { cause: outcome });
    resolved.push([name, ref, outcome]);
  }
  const keys = new Set<GroupKey>();
  if (valid.cell.groupBy === null) keys.add(ungrouped);
  else for (const [, ref, outcome] of resolved) for (const key of outcome.rows.get(ref.period)?.keys() ?? []) keys.add(key);
  const definition = valid.definition as KpiDefinition & { kind: 'inputs' };
  // An absent key is a group with no rows: every measure decodes to zero.
  const resultFor = (key: GroupKey | null): KpiResult => {
    const measureValues: Record<string, unknown> = {};
    for (const [name, ref, outcome] of resolved) {
      measureValues[name] = outcome.measures[ref.measure]!.decode(key === null ? undefined : outcome.rows.get(ref.period)?.get(key));
    }
    const result = definition.formula(measureValues as MeasureValues<Record<string, Measure>>, { params: valid.cell.params, period: valid.cell.period });
    return checkResult(result, definition.key);
  };
  const results = new Map<GroupKey, KpiResult>();
  try {
    for (const key of [...keys].sort()) results.set(key, resultFor(key));
  } catch (error) {
    return new KpiPluginError(definition.key, valid.source, `The formula of KPI "${definition.key}" (${valid.source}) failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { results, resultFor };
}
