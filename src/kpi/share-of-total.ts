/**
 * A breakdown group's share of the total: its value over the sum of every
 * group's value (the groups folded into "other" included). Only a KPI whose
 * values add up across groups has such a total — counts and money; a rate, a
 * mean or a percentile of the whole is not the sum of the groups', so their
 * share has no value, with a reason. A total of zero gives no share either.
 */
import { Decimal } from 'decimal.js';
import { noValue } from './formula-helpers.js';
import type { KpiResult } from './types.js';

/** Works out shares against the groups' total. */
export type ShareOfTotal = (result: KpiResult) => KpiResult;

export function shareOfTotal(groups: readonly KpiResult[], additive: boolean): ShareOfTotal {
  if (!additive) {
    const reason = noValue('NOT_APPLICABLE', 'No share of total: the groups of this KPI do not add up to a total (it is a rate, mean or percentile).');
    return () => reason;
  }
  const total = groups.reduce((sum, group) => sum.plus(group.value ?? 0), new Decimal(0));
  if (total.isZero()) {
    const reason = noValue('ZERO_DENOMINATOR', 'No share of total: the groups add up to zero.');
    return () => reason;
  }
  return (result) =>
    result.value === null
      ? noValue('NO_DATA', 'No share of total: this group has no value.')
      : { value: result.value.div(total), numerator: result.value, denominator: total };
}
