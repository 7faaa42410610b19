/**
 * A progress reporter: a redrawn bar with rate on a terminal, plain lines
 * at every 10 % otherwise (logs and CI stay readable). The rate counts from
 * the first update, not from the bar's creation: a phase may resume (an
 * import writes customers, builds their indexes, then writes deals), and
 * its first update then already holds rows done before the bar existed.
 */
export interface Progress {
  update(done: number, total: number, phase: string): void;
  finish(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, unit = 'rows'): Progress {
  let first: { done: number; at: number } | null = null;
  let lastDraw = 0;
  let lastDecile = -1;
  let lastPhase = '';
  return {
    update(done, total, phase) {
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const now = Date.now();
      first ??= { done, at: now };
      const seconds = (now - first.at) / 1000;
      // No rate until there is a span to measure it over.
      const rate = seconds > 0 ? `${Math.round((done - first.done) / seconds).toLocaleString('en')} ${unit}/s` : `– ${unit}/s`;
      if (stream.isTTY) {
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round(fraction * width);
        const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
        stream.write(`\r${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${phase.padEnd(16)} ${rate}   `);
        return;
      }
      const decile = Math.floor(fraction * 10);
      if (decile !== lastDecile || phase !== lastPhase) {
        lastDecile = decile;
        lastPhase = phase;
        stream.write(`${phase}: ${(fraction * 100).toFixed(0)}% (${done.toLocaleString('en')}/${total.toLocaleString('en')}, ${rate})\n`);
      }
    },
    finish() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
