/**
 * Peak resident memory of this process (which hosts the server), sampled
 * every few milliseconds; the peak is kept per named phase so a report can
 * say which work needed the memory.
 */
export class MemorySampler {
  private readonly peaks = new Map<string, number>();
  private phase = 'start';
  private timer: NodeJS.Timeout | undefined;

  start(everyMs = 20): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    // Sampling must never keep the process alive on its own.
    this.timer.unref();
  }

  /** Starts attributing samples to `name`. */
  enter(name: string): void {
    this.sample();
    this.phase = name;
    this.sample();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }

  /** Peak RSS in MB per phase, and overall. */
  report(): { peakMb: number; byPhaseMb: Record<string, number> } {
    const byPhaseMb = Object.fromEntries([...this.peaks].map(([name, bytes]) => [name, Math.round(bytes / 1e6)]));
    return { peakMb: Math.max(0, ...Object.values(byPhaseMb)), byPhaseMb };
  }

  private sample(): void {
    const rss = process.memoryUsage().rss;
    if (rss > (this.peaks.get(this.phase) ?? 0)) this.peaks.set(this.phase, rss);
  }
}
