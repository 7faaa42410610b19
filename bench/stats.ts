/** Timing samples and their summary. */
import { performance } from 'node:perf_hooks';

export interface Summary {
  runs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

/** The nearest-rank percentile: with few runs, p95 is an observed sample, not an interpolation. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 100) / 100;
  return {
    runs: sorted.length,
    medianMs: round(percentile(sorted, 0.5)),
    p95Ms: round(percentile(sorted, 0.95)),
    minMs: round(sorted[0] ?? Number.NaN),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

/** Runs `work` `warmup` times unmeasured (plans cached, pages warm), then `runs` times measured one after another. */
export async function timeRuns(work: () => Promise<unknown>, warmup: number, runs: number): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

/**
 * Like timeRuns for several kinds of work at once: each round runs every one
 * of them once, so that they share whatever else the machine is doing.
 */
export async function timeInTurns(works: readonly (() => Promise<unknown>)[], warmup: number, runs: number): Promise<Summary[]> {
  const samples = works.map((): number[] => []);
  for (let round = 0; round < warmup + runs; round++) {
    for (const [index, work] of works.entries()) {
      const started = performance.now();
      await work();
      if (round >= warmup) samples[index]!.push(performance.now() - started);
    }
  }
  return samples.map(summarize);
}

export const ratio = (a: number, b: number): number | null => (b > 0 && Number.isFinite(a) ? Math.round((a / b) * 100) / 100 : null);
