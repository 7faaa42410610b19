/**
 * When a failed delivery is tried again: exponential back-off from 10 s,
 * doubling up to 2 h between attempts, each delay spread by ±20 % jitter so
 * that endpoints failing together are not retried together.
 */
const baseMs = 10_000;
const capMs = 2 * 60 * 60 * 1000;

/** The delay after the `attempts`-th failed attempt (1-based); `random` in [0, 1). */
export function retryDelayMs(attempts: number, random: number): number {
  const plain = Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(plain * (0.8 + 0.4 * random));
}
