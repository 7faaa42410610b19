/**
 * The unit type-checker of formulas: a formula is checked against the units
 * of the KPIs it reads before it is stored, so "won_revenue + new_customers"
 * (money plus a count) is refused at its operator's column.
 *
 * Rates (percent, ratio) and bare numbers are dimensionless; count, money,
 * days, hours and score carry a unit. Adding or comparing needs equal units
 * (a bare number takes the other side's); multiplying needs one
 * dimensionless side; dividing gives a ratio for equal units, keeps the unit
 * when divided by a dimensionless value or by a count (money per customer),
 * and is refused otherwise. There are no unit conversions (hours to days).
 */
import type { Unit } from '../types.js';
import type { Expression } from './syntax.js';
import { FormulaError } from './syntax.js';

/** The type of a formula's node: a KPI unit, a bare number or a truth value. */
export type FormulaType = Unit | 'number' | 'boolean';

const dimensionless = (type: FormulaType): boolean => type === 'number' || type === 'percent' || type === 'ratio';

const label = (type: FormulaType): string => (type === 'boolean' ? 'a comparison (true or false)' : type === 'number' ? 'a number' : `${type}`);

/** The common unit of two sides that are added, compared or chosen between; undefined when they do not mix. */
function common(left: FormulaType, right: FormulaType): FormulaType | undefined {
  if (left === 'boolean' || right === 'boolean') return left === right ? 'boolean' : undefined;
  if (left === right) return left;
  if (left === 'number') return right;
  if (right === 'number') return left;
  if (dimensionless(left) && dimensionless(right)) return 'ratio';
  return undefined;
}

function product(left: FormulaType, right: FormulaType): FormulaType | undefined {
  if (left === 'number') return right;
  if (right === 'number') return left;
  if (dimensionless(left) && dimensionless(right)) return left === right ? left : 'ratio';
  if (dimensionless(left)) return right;
  if (dimensionless(right)) return left;
  return undefined;
}

function quotient(left: FormulaType, right: FormulaType): FormulaType | undefined {
  if (dimensionless(left) && dimensionless(right)) return left === 'number' && right === 'number' ? 'number' : 'ratio';
  if (left === right) return 'ratio';
  if (dimensionless(right)) return left;
  if (right === 'count') return left;
  return undefined;
}

/**
 * The type of a formula, given the unit of each KPI key it may read;
 * throws FormulaError at the column of the first mistake.
 */
export function checkUnits(tree: Expression, unitOf: (key: string) => Unit | undefined): FormulaType {
  const numeric = (node: Expression, role: string): FormulaType => {
    const type = visit(node);
    if (type === 'boolean') throw new FormulaError(node.column, `${role} must be a value, not a comparison.`);
    return type;
  };
  const visit = (node: Expression): FormulaType => {
    switch (node.kind) {
      case 'number':
        return 'number';
      case 'name': {
        const unit = unitOf(node.name);
        if (!unit) throw new FormulaError(node.column, `unknown KPI "${node.name}".`);
        return unit;
      }
      case 'negate':
        return numeric(node.operand, 'the operand of "-"');
      case 'not': {
        if (visit(node.operand) !== 'boolean') throw new FormulaError(node.operand.column, '"not" needs a comparison.');
        return 'boolean';
      }
      case 'binary': {
        if (node.operator === 'and' || node.operator === 'or') {
          for (const side of [node.left, node.right]) {
            if (visit(side) !== 'boolean') throw new FormulaError(side.column, `"${node.operator}" needs comparisons on both sides.`);
          }
          return 'boolean';
        }
        const left = numeric(node.left, `the left side of "${node.operator}"`);
        const right = numeric(node.right, `the right side of "${node.operator}"`);
        const verb = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide' }[node.operator as '+'];
        if (node.operator === '*') {
          const type = product(left, right);
          if (!type) throw new FormulaError(node.column, `cannot multiply ${label(left)} by ${label(right)}; one side must be a number or a rate.`);
          return type;
        }
        if (node.operator === '/') {
          const type = quotient(left, right);
          if (!type) throw new FormulaError(node.column, `cannot divide ${label(left)} by ${label(right)}; divide by the same unit, a count, a number or a rate.`);
          return type;
        }
        const type = common(left, right);
        if (!type) {
          const doing = verb ? `${verb} ${label(left)} and ${label(right)}` : `compare ${label(left)} with ${label(right)}`;
          throw new FormulaError(node.column, `cannot ${doing}; both sides need the same unit.`);
        }
        return verb ? type : 'boolean';
      }
      case 'call': {
        const { name, args } = node;
        if (name === 'if') {
          if (args.length !== 3) throw new FormulaError(node.column, `if takes 3 arguments (condition, then, else), not ${args.length}.`);
          if (visit(args[0]!) !== 'boolean') throw new FormulaError(args[0]!.column, 'the condition of if must be a comparison.');
          const type = common(visit(args[1]!), visit(args[2]!));
          if (!type) throw new FormulaError(args[2]!.column, 'both branches of if need the same unit.');
          return type;
        }
        if (name === 'abs') {
          if (args.length !== 1) throw new FormulaError(node.column, `abs takes 1 argument, not ${args.length}.`);
          return numeric(args[0]!, 'the argument of abs');
        }
        if (args.length < 2) throw new FormulaError(node.column, `${name} takes at least 2 arguments.`);
        let type = numeric(args[0]!, `an argument of ${name}`);
        for (const arg of args.slice(1)) {
          const next = common(type, numeric(arg, `an argument of ${name}`));
          if (!next) throw new FormulaError(arg.column, `the arguments of ${name} need the same unit (${label(type)} here).`);
          type = next;
        }
        return type;
      }
    }
  };
  return visit(tree);
}

/** Whether a formula's type can be stored as a KPI of `unit`; a message saying why not otherwise. */
export function fitsUnit(type: FormulaType, unit: Unit): string | undefined {
  if (type === 'boolean') return `the formula gives a comparison (true or false), not a value in ${unit}.`;
  if (type === unit || type === 'number') return undefined;
  if (dimensionless(type) && (unit === 'percent' || unit === 'ratio')) return undefined;
  return `the formula gives ${label(type)}, but the KPI's unit is ${unit}.`;
}
