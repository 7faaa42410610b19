/**
 * Evaluates a parsed formula over exact decimals. Nothing but this tree walk
 * runs: no code from the formula is executed. A missing value propagates
 * with its reason; a division by zero is missing with a reason naming the
 * divisor; `coalesce` takes the first value that is present.
 */
import { Decimal } from 'decimal.js';
import type { NullReason } from '../types.js';
import type { Expression } from './syntax.js';

/** A value of a formula's node: a decimal, a truth value, or missing and why. */
export type FormulaValue = { value: Decimal | boolean; reason?: undefined } | { value: null; reason: NullReason };

const missing = (reason: NullReason): FormulaValue => ({ value: null, reason });

/** The formula's text of a node, to name a divisor in a reason. */
export function printExpression(node: Expression): string {
  switch (node.kind) {
    case 'number':
      return node.text;
    case 'name':
      return node.name;
    case 'negate':
      return `-${printExpression(node.operand)}`;
    case 'not':
      return `not ${printExpression(node.operand)}`;
    case 'binary':
      return `(${printExpression(node.left)} ${node.operator} ${printExpression(node.right)})`;
    case 'call':
      return `${node.name}(${node.args.map(printExpression).join(', ')})`;
  }
}

const asDecimal = (value: FormulaValue): Decimal => value.value as Decimal;
const asBoolean = (value: FormulaValue): boolean => value.value as boolean;

/**
 * The value of a type-checked formula; `valueOf` gives each KPI key's value
 * (missing with its reason when the KPI has none).
 */
export function evaluateFormula(tree: Expression, valueOf: (key: string) => FormulaValue): FormulaValue {
  const visit = (node: Expression): FormulaValue => {
    switch (node.kind) {
      case 'number':
        return { value: new Decimal(node.text) };
      case 'name':
        return valueOf(node.name);
      case 'negate': {
        const operand = visit(node.operand);
        return operand.value === null ? operand : { value: asDecimal(operand).neg() };
      }
      case 'not': {
        const operand = visit(node.operand);
        return operand.value === null ? operand : { value: !asBoolean(operand) };
      }
      case 'binary': {
        const left = visit(node.left);
        if (left.value === null) return left;
        const right = visit(node.right);
        if (right.value === null) return right;
        const a = left.value;
        const b = right.value;
        switch (node.operator) {
          case 'and':
            return { value: (a as boolean) && (b as boolean) };
          case 'or':
            return { value: (a as boolean) || (b as boolean) };
          case '+':
            return { value: (a as Decimal).plus(b as Decimal) };
          case '-':
            return { value: (a as Decimal).minus(b as Decimal) };
          case '*':
            return { value: (a as Decimal).mul(b as Decimal) };
          case '/':
            return (b as Decimal).isZero()
              ? missing({ code: 'ZERO_DENOMINATOR', message: `No value: ${printExpression(node.right)} is zero in this period.` })
              : { value: (a as Decimal).div(b as Decimal) };
          case '<':
            return { value: (a as Decimal).lt(b as Decimal) };
          case '<=':
            return { value: (a as Decimal).lte(b as Decimal) };
          case '>':
            return { value: (a as Decimal).gt(b as Decimal) };
          case '>=':
            return { value: (a as Decimal).gte(b as Decimal) };
          case '==':
            return { value: (a as Decimal).eq(b as Decimal) };
          case '!=':
            return { value: !(a as Decimal).eq(b as Decimal) };
        }
        break;
      }
      case 'call': {
        if (node.name === 'if') {
          const condition = visit(node.args[0]!);
          if (condition.value === null) return condition;
          return visit(node.args[asBoolean(condition) ? 1 : 2]!);
        }
        if (node.name === 'coalesce') {
          let last: FormulaValue | undefined;
          for (const arg of node.args) {
            last = visit(arg);
            if (last.value !== null) return last;
          }
          return last!;
        }
        const values: Decimal[] = [];
        for (const arg of node.args) {
          const value = visit(arg);
          if (value.value === null) return value;
          values.push(asDecimal(value));
        }
        if (node.name === 'abs') return { value: values[0]!.abs() };
        return { value: node.name === 'min' ? Decimal.min(...values) : Decimal.max(...values) };
      }
    }
    return missing({ code: 'PLUGIN_ERROR', message: 'The formula could not be evaluated.' });
  };
  return visit(tree);
}
