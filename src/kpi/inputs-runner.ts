/**
 * Runs the inputs-KPI cells of a batch in four phases (src/kpi/inputs/):
 * plan (cells → groups of measures and periods, a plain value), compile
 * (plan → one statement per source), run (the statements, all at once) and
 * evaluate (rows → each cell's values per group key).
 */
import type { Database } from '../db/client.js';
import type { ValidCell } from './cell.js';
import type { CellValues } from './define.js';
import type { MeasureGroupPath, RollupOptions } from './inputs/compile.js';
import { compileInputs } from './inputs/compile.js';

export type { MeasureGroupPath, RollupOptions } from './inputs/compile.js';
import { evaluateCell, groupOutcomes } from './inputs/evaluate.js';
import { planInputs } from './inputs/plan.js';
import { runSources } from './inputs/run.js';

/** Statistics of one run, for tests and logs. */
export interface InputsRunStats {
  groups: number;
  /** Statements run: one per source. */
  statements: number;
  measures: number;
  /** Each measure group's path (rollup or rows) and why, in the order of the groups. */
  paths: MeasureGroupPath[];
}

/** Values (or an Error) for each cell, in the cells' order, and the number of statements run. */
export async function runInputsCells(
  db: Database,
  workspaceId: number,
  cells: readonly ValidCell[],
  rollups: RollupOptions | null = null,
): Promise<{ values: (CellValues | Error)[]; stats: InputsRunStats }> {
  const plan = planInputs(cells);
  const compiled = compileInputs(workspaceId, plan, rollups);
  const outcomes = groupOutcomes(plan, await runSources(db, compiled));
  const values = cells.map((valid, index) => {
    const evaluated = evaluateCell(valid, plan.cells[index]!.inputs, outcomes);
    if (evaluated instanceof Error) return evaluated;
    return evaluated.results as CellValues;
  });
  return { values, stats: { groups: plan.groups.length, statements: compiled.length, measures: plan.groups.reduce((n, g) => n + g.measures.length, 0), paths: compiled.flatMap((source) => source.paths).sort((a, b) => a.group - b.group) } };
}
