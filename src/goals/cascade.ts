/**
 * Splitting a goal's target among child goals: evenly, by each child's share
 * of a reference period, or by given weights. Pure; rates keep the parent's
 * target (a rate is not split, every child must hold it).
 */
import { Decimal } from 'decimal.js';

export type SplitMethod = 'even' | 'reference' | 'weights';

/**
 * The children's targets. Additive: the parent's target × each child's
 * weight ÷ the sum of weights (even: equal weights; reference: each child's
 * value over the reference period, evenly when they sum to 0), rounded to 6
 * places with the rounding remainder on the last child so the targets sum
 * exactly to the parent's. Not additive: the parent's target for every child.
 */
export function splitTarget(target: Decimal, weights: readonly Decimal[], additive: boolean): Decimal[] {
  if (!additive) return weights.map(() => target);
  const positive = weights.map((w) => Decimal.max(w, 0));
  const total = positive.reduce((sum, w) => sum.plus(w), new Decimal(0));
  const shares = total.gt(0) ? positive.map((w) => w.div(total)) : weights.map(() => new Decimal(1).div(weights.length));
  const targets = shares.map((share) => target.mul(share).toDecimalPlaces(6, Decimal.ROUND_DOWN));
  const rest = target.minus(targets.reduce((sum, t) => sum.plus(t), new Decimal(0)));
  if (targets.length > 0) targets[targets.length - 1] = targets[targets.length - 1]!.plus(rest);
  return targets;
}
