import { Decimal } from 'decimal.js';
import type { MeanValue, PercentileValue } from './define.js';
import type { KpiResult, NullReason } from './types.js';

type Numeric = Decimal | number;

const toDecimal = (value: Numeric): Decimal => (value instanceof Decimal ? value : new Decimal(value));

/** A value with no measures behind it worth showing. */
export function value(result: Numeric, sampleSize?: number): KpiResult {
  return { value: toDecimal(result), ...(sampleSize === undefined ? {} : { sampleSize }) };
}

/** No value, and why. */
export function noValue(code: NullReason['code'], message: string, sampleSize?: number): KpiResult {
  return { value: null, reason: { code, message }, ...(sampleSize === undefined ? {} : { sampleSize }) };
}

/**
 * `numerator ÷ denominator`, exact; a zero denominator gives `null` with a
 * reason naming what was zero, never NaN or Infinity.
 */
export function ratio(numerator: Numeric, denominator: Numeric, what = 'the denominator'): KpiResult {
  const n = toDecimal(numerator);
  const d = toDecimal(denominator);
  const sampleSize = typeof denominator === 'number' ? denominator : undefined;
  if (d.isZero()) {
    return {
      ...noValue('ZERO_DENOMINATOR', `No value: ${what} is zero in this period.`, sampleSize),
      numerator: n,
      denominator: d,
    };
  }
  return { value: n.div(d), numerator: n, denominator: d, ...(sampleSize === undefined ? {} : { sampleSize }) };
}

/** The mean of a `mean` measure; no rows gives `null` with a reason. */
export function mean(parts: MeanValue, what = 'rows'): KpiResult {
  return ratio(parts.sum, parts.count, `the number of ${what}`);
}

/** Continues a computation on a result's value, keeping a null and its reason. */
export function mapValue(result: KpiResult, map: (value: Decimal) => Decimal): KpiResult {
  return result.value === null ? result : { ...result, value: map(result.value) };
}

/** The value of a `percentile` measure, explained by its sample size; no rows gives `null` with a reason. */
export function percentile(parts: PercentileValue, what = 'rows'): KpiResult {
  return parts.value === null
    ? noValue('NO_DATA', `No value: there are no ${what} in this period.`, 0)
    : { value: parts.value, sampleSize: parts.count };
}
