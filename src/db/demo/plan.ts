import { newCustomerBuffers } from './customer-buffers.js';
import type { CustomerContext } from './customer-buffers.js';
import { generateCustomer } from './generate-customer.js';
import { Prng } from './prng.js';
import { DAY, officeTime } from './time.js';

const PILOT_CUSTOMERS = 5_000;
const BUCKET_DAYS = 30;

/**
 * Expected deals of a customer created on each day of the history, from a
 * pilot run of the same model on its own random stream: old customers have
 * had time for repeat deals, recent ones have not.
 */
export function dealsPerCustomerByDay(seed: number, base: Omit<CustomerContext, 'rng' | 'budget'>, days: number): number[] {
  const rng = new Prng((seed ^ 0x5bd1e995) >>> 0);
  const ctx: CustomerContext = { ...base, rng, budget: { deals: Number.MAX_SAFE_INTEGER } };
  const buckets = Math.ceil(days / BUCKET_DAYS);
  const sums = new Array<number>(buckets).fill(0);
  const counts = new Array<number>(buckets).fill(0);
  for (let i = 0; i < PILOT_CUSTOMERS; i++) {
    const out = newCustomerBuffers();
    const day = Math.floor(rng.next() * days);
    generateCustomer(ctx, out, officeTime(rng, base.startMs + day * DAY));
    sums[Math.floor(day / BUCKET_DAYS)]! += out.deal.length;
    counts[Math.floor(day / BUCKET_DAYS)]!++;
  }
  // Neighbouring months pooled: a month of pilot customers alone is noisy.
  const smoothed = sums.map((_, b) => {
    let sum = 0;
    let count = 0;
    for (let k = Math.max(0, b - 1); k <= Math.min(buckets - 1, b + 1); k++) {
      sum += sums[k]!;
      count += counts[k]!;
    }
    return count > 0 ? sum / count : 1;
  });
  return Array.from({ length: days }, (_, day) => Math.max(0.05, smoothed[Math.floor(day / BUCKET_DAYS)]!));
}

/** Share of the remaining deals a pass plans for, so that it rarely runs out before today. */
const PASS_SHARE = 0.95;

/**
 * Creation times of customers in time order, pass after pass until the deal
 * budget is spent: each pass spreads customers over the history by the lead
 * weights, sized for most of the remaining deals. Time order matters for
 * speed: the time indexes then grow at their end instead of everywhere.
 */
export function* customerTimes(
  rng: Prng,
  startMs: number,
  weights: readonly number[],
  dealsPerCustomer: readonly number[],
  budget: { deals: number },
): Generator<number> {
  const expectedPerWeight = weights.reduce((sum, weight, day) => sum + weight * dealsPerCustomer[day]!, 0);
  while (budget.deals > 0) {
    const lambda = (PASS_SHARE * budget.deals) / expectedPerWeight;
    let carry = rng.next();
    for (let day = 0; day < weights.length && budget.deals > 0; day++) {
      carry += lambda * weights[day]!;
      const count = Math.floor(carry);
      carry -= count;
      for (let i = 0; i < count && budget.deals > 0; i++) yield officeTime(rng, startMs + day * DAY);
    }
  }
}
