/**
 * KPI formulas: a safe expression language over other KPIs (parse, unit
 * check, evaluate). See syntax.ts for the grammar.
 */
export { FormulaError, functionNames, parseFormula, referencedKeys } from './syntax.js';
export type { Expression } from './syntax.js';
export { checkUnits, fitsUnit } from './units.js';
export type { FormulaType } from './units.js';
export { evaluateFormula, printExpression } from './evaluate.js';
export type { FormulaValue } from './evaluate.js';
