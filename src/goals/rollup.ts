/**
 * A cascade parent's actual from its children's: summed for totals, and for
 * rates recomputed from the summed numerators and denominators (a mean of
 * the children's rates would weigh a small team like a large one). Pure.
 */
import { Decimal } from 'decimal.js';
import type { KpiResult } from '../kpi/types.js';

export function rollUp(children: readonly KpiResult[], additive: boolean): KpiResult {
  if (additive) {
    const values = children.map((child) => child.value);
    if (values.every((value) => value === null)) return { value: null, reason: { code: 'NO_DATA', message: 'None of the child goals has a value.' } };
    return { value: values.reduce<Decimal>((sum, value) => sum.plus(value ?? 0), new Decimal(0)) };
  }
  if (children.some((child) => child.numerator === undefined || child.denominator === undefined)) {
    return { value: null, reason: { code: 'NOT_APPLICABLE', message: 'A child goal’s KPI gives no numerator and denominator to roll a rate up from.' } };
  }
  const numerator = children.reduce((sum, child) => sum.plus(child.numerator!), new Decimal(0));
  const denominator = children.reduce((sum, child) => sum.plus(child.denominator!), new Decimal(0));
  if (denominator.isZero()) return { value: null, reason: { code: 'ZERO_DENOMINATOR', message: 'The child goals’ denominators sum to zero.' }, numerator, denominator };
  return { value: numerator.div(denominator), numerator, denominator };
}
