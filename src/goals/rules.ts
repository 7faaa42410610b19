/**
 * Checks of a goal's numbers against its KPI that the engine does not make
 * (it validates KPI, scope, params and period): a target in the KPI's unit,
 * a stretch target beyond the target, and warnings about a goal that asks
 * for nothing new. Pure; the GraphQL layer turns problems into BAD_USER_INPUT.
 */
import type { Decimal } from 'decimal.js';
import type { KpiDefinition } from '../kpi/define.js';
import { meets, targetAlreadyMet } from './progress.js';

export interface GoalProblem {
  /** The input at fault, relative to the goal input: `target`, `stretchTarget`, `baseline`. */
  field: 'target' | 'stretchTarget' | 'baseline';
  message: string;
}

type Numbered = Pick<KpiDefinition, 'key' | 'unit' | 'direction' | 'valueRange'>;

const nonNegativeUnits = new Set(['count', 'money', 'days', 'hours']);

function unitProblem(definition: Numbered, field: GoalProblem['field'], value: Decimal): GoalProblem | null {
  const what = field === 'stretchTarget' ? 'a stretch target' : field === 'baseline' ? 'a baseline' : 'target';
  const range = definition.valueRange ?? (definition.unit === 'percent' ? { min: 0, max: 1 } : undefined);
  if (range && ((range.min !== undefined && value.lt(range.min)) || (range.max !== undefined && value.gt(range.max)))) {
    const bounds = `${range.min ?? '−∞'} to ${range.max ?? '∞'}`;
    const hint = definition.unit === 'percent' ? ' (a fraction: 0.8 means 80 %)' : '';
    return { field, message: `${what} for ${definition.key} lies from ${bounds}${hint}; got ${value.toFixed()}.` };
  }
  if (nonNegativeUnits.has(definition.unit) && value.lt(0)) {
    return { field, message: `${what} for ${definition.key} (${definition.unit}) must not be negative; got ${value.toFixed()}.` };
  }
  return null;
}

/**
 * Problems of a goal's target, stretch target and given baseline: percent
 * values must be fractions in [0, 1]; counts, money and durations must not be
 * negative; a stretch target must lie beyond the target in the better
 * direction (above it when higher is better, below it when lower is).
 */
export function targetProblems(definition: Numbered, target: Decimal, stretchTarget: Decimal | null, baseline: Decimal | null): GoalProblem[] {
  const problems: GoalProblem[] = [];
  const add = (problem: GoalProblem | null) => problem && problems.push(problem);
  add(unitProblem(definition, 'target', target));
  if (stretchTarget !== null) {
    add(unitProblem(definition, 'stretchTarget', stretchTarget));
    if (!meets(stretchTarget, target, definition.direction)) {
      const side = definition.direction === 'lower' ? 'at or below' : 'at or above';
      problems.push({
        field: 'stretchTarget',
        message: `a stretch target lies beyond the target in the better direction: ${side} ${target.toFixed()} for ${definition.key}; got ${stretchTarget.toFixed()}.`,
      });
    }
  }
  if (baseline !== null) add(unitProblem(definition, 'baseline', baseline));
  return problems;
}

/**
 * Warnings shown with a goal: its baseline already meets the target (the
 * goal asks for nothing new), or there is no baseline to compare with.
 */
export function goalWarnings(definition: Numbered, target: Decimal, baseline: Decimal | null): string[] {
  if (baseline === null) return ['No baseline: the KPI had no value over the previous period of the same length, and none was given.'];
  if (targetAlreadyMet(baseline, target, definition.direction)) {
    const side = definition.direction === 'lower' ? 'at or below' : 'at or above';
    return [`The target is already met: the baseline ${baseline.toFixed()} is ${side} the target ${target.toFixed()}.`];
  }
  return [];
}
