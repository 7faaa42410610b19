import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { FormulaValue } from '../../src/kpi/expression/index.js';
import { FormulaError, checkUnits, evaluateFormula, fitsUnit, parseFormula, referencedKeys } from '../../src/kpi/expression/index.js';
import type { Unit } from '../../src/kpi/types.js';

const units: Record<string, Unit> = {
  won_revenue: 'money',
  active_customers: 'count',
  new_customers: 'count',
  win_rate: 'percent',
  sales_cycle_days: 'days',
  first_response_hours: 'hours',
  cac: 'money',
  ltv: 'money',
};
const unitOf = (key: string): Unit | undefined => units[key];

function errorOf(run: () => unknown): FormulaError {
  try {
    run();
  } catch (error) {
    if (error instanceof FormulaError) return error;
    throw error;
  }
  throw new Error('no error');
}

function evaluate(formula: string, values: Record<string, string | null>): FormulaValue {
  const tree = parseFormula(formula);
  checkUnits(tree, unitOf);
  return evaluateFormula(tree, (key) => {
    const value = values[key];
    return value === null || value === undefined ? { value: null, reason: { code: 'NO_DATA', message: `${key} has no data.` } } : { value: new Decimal(value) };
  });
}

const text = (result: FormulaValue): string | boolean | null => (result.value instanceof Decimal ? result.value.toFixed() : result.value);

describe('parsing formulas', () => {
  it('respects precedence: * before +, comparisons before and, and before or', () => {
    expect(text(evaluate('1 + 2 * 3', {}))).toBe('7');
    expect(text(evaluate('(1 + 2) * 3', {}))).toBe('9');
    expect(text(evaluate('10 - 4 - 3', {}))).toBe('3');
    expect(text(evaluate('12 / 3 / 2', {}))).toBe('2');
    expect(text(evaluate('-2 * -3', {}))).toBe('6');
    expect(text(evaluate('1 < 2 and 3 > 4 or 2 == 2', {}))).toBe(true);
    expect(text(evaluate('not 1 < 2', {}))).toBe(false);
  });

  it('lists the KPI keys a formula reads, once each', () => {
    expect(referencedKeys(parseFormula('won_revenue / active_customers + coalesce(won_revenue, 0)'))).toEqual(['won_revenue', 'active_customers']);
  });

  it.each([
    ['won_revenue / ', 15, 'expected a number, a KPI key or "(", found the end of the formula.'],
    ['won_revenue $ 2', 13, 'unexpected character "$".'],
    ['(1 + 2', 7, 'expected ")" to close the "(" at column 1, found the end of the formula.'],
    ['1 + 2)', 6, 'unexpected ")"; an operator or the end was expected.'],
    ['sqrt(4)', 1, 'unknown function "sqrt"; the functions are if, coalesce, min, max, abs.'],
    ['if(1 < 2, 3 4)', 13, 'expected "," or ")" in the arguments of if, found "4".'],
    ['', 1, 'the formula is empty.'],
    ['2x', 1, '"2x" is not a number.'],
    ['1.2.3', 1, '"1.2." is not a number.'],
  ])('points at the column of a syntax error in %j', (formula, column, detail) => {
    const error = errorOf(() => parseFormula(formula));
    expect([error.column, error.detail]).toEqual([column, detail]);
    expect(error.message).toBe(`Formula error at column ${column}: ${detail}`);
  });

  it('refuses a formula nested deeper than 64 levels rather than overflowing the stack', () => {
    expect(errorOf(() => parseFormula('('.repeat(100) + '1' + ')'.repeat(100))).detail).toBe('a formula nests at most 64 levels.');
    expect(errorOf(() => parseFormula('-'.repeat(100) + '1')).detail).toBe('a formula nests at most 64 levels.');
  });
});

describe('checking units', () => {
  const typeOf = (formula: string) => checkUnits(parseFormula(formula), unitOf);

  it('gives money per customer for money ÷ count, a ratio for equal units, and keeps units under rates and numbers', () => {
    expect(typeOf('won_revenue / active_customers')).toBe('money');
    expect(typeOf('ltv / cac')).toBe('ratio');
    expect(typeOf('new_customers / active_customers')).toBe('ratio');
    expect(typeOf('won_revenue * win_rate')).toBe('money');
    expect(typeOf('2 * sales_cycle_days')).toBe('days');
    expect(typeOf('win_rate * win_rate')).toBe('percent');
    expect(typeOf('won_revenue + 100')).toBe('money');
    expect(typeOf('if(win_rate >= 0.25, won_revenue, 0)')).toBe('money');
    expect(typeOf('coalesce(cac, ltv, 0)')).toBe('money');
    expect(typeOf('won_revenue > cac and win_rate < 1')).toBe('boolean');
  });

  it.each([
    ['won_revenue + new_customers', 13, 'cannot add money and count; both sides need the same unit.'],
    ['sales_cycle_days - first_response_hours', 18, 'cannot subtract days and hours; both sides need the same unit.'],
    ['won_revenue * cac', 13, 'cannot multiply money by money; one side must be a number or a rate.'],
    ['new_customers / won_revenue', 15, 'cannot divide count by money; divide by the same unit, a count, a number or a rate.'],
    ['win_rate > won_revenue', 10, 'cannot compare percent with money; both sides need the same unit.'],
    ['if(won_revenue, 1, 2)', 4, 'the condition of if must be a comparison.'],
    ['if(1 < 2, won_revenue, new_customers)', 24, 'both branches of if need the same unit.'],
    ['coalesce(cac)', 1, 'coalesce takes at least 2 arguments.'],
    ['1 + unknown_kpi', 5, 'unknown KPI "unknown_kpi".'],
    ['(1 < 2) + 1', 4, 'the left side of "+" must be a value, not a comparison.'],
    ['won_revenue and 1 < 2', 1, '"and" needs comparisons on both sides.'],
  ])('refuses %j at the column of its mistake', (formula, column, detail) => {
    const error = errorOf(() => typeOf(formula));
    expect([error.column, error.detail]).toEqual([column, detail]);
  });

  it('tells whether a formula fits the unit the KPI declares', () => {
    expect(fitsUnit('money', 'money')).toBeUndefined();
    expect(fitsUnit('ratio', 'percent')).toBeUndefined();
    expect(fitsUnit('number', 'count')).toBeUndefined();
    expect(fitsUnit('money', 'count')).toBe("the formula gives money, but the KPI's unit is count.");
    expect(fitsUnit('boolean', 'ratio')).toBe('the formula gives a comparison (true or false), not a value in ratio.');
  });
});

describe('evaluating formulas', () => {
  it('computes exactly over decimals', () => {
    // 1000.10 / 3 customers = 333.3666…; 0.1 + 0.2 is exactly 0.3.
    expect(text(evaluate('won_revenue / active_customers', { won_revenue: '1000.10', active_customers: '3' }))).toBe(new Decimal('1000.10').div(3).toFixed());
    expect(text(evaluate('0.1 + 0.2', {}))).toBe('0.3');
  });

  it('gives no value with a reason naming the divisor when it is zero', () => {
    const result = evaluate('won_revenue / (active_customers - new_customers)', { won_revenue: '10', active_customers: '2', new_customers: '2' });
    expect(result).toEqual({ value: null, reason: { code: 'ZERO_DENOMINATOR', message: 'No value: (active_customers - new_customers) is zero in this period.' } });
  });

  it('carries a missing component’s reason, and coalesce falls back past it', () => {
    expect(evaluate('ltv / cac', { ltv: '100', cac: null })).toEqual({ value: null, reason: { code: 'NO_DATA', message: 'cac has no data.' } });
    expect(text(evaluate('coalesce(cac, ltv, 0)', { ltv: '7', cac: null }))).toBe('7');
    expect(evaluate('coalesce(cac, ltv)', { ltv: null, cac: null }).reason?.message).toBe('ltv has no data.');
  });

  it('takes only the branch of if that the condition picks, so the other may be missing', () => {
    expect(text(evaluate('if(win_rate >= 0.25, won_revenue, cac)', { win_rate: '0.25', won_revenue: '5', cac: null }))).toBe('5');
    expect(text(evaluate('if(win_rate != 0.25, won_revenue, cac)', { win_rate: '0.25', won_revenue: null, cac: '9' }))).toBe('9');
  });

  it('computes min, max and abs', () => {
    expect(text(evaluate('min(cac, ltv, 4)', { cac: '5', ltv: '3.5' }))).toBe('3.5');
    expect(text(evaluate('max(cac, ltv)', { cac: '5', ltv: '3.5' }))).toBe('5');
    expect(text(evaluate('abs(cac - ltv)', { cac: '3', ltv: '3.5' }))).toBe('0.5');
  });
});
