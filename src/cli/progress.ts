/**
 * A progress reporter: a redrawn bar with rate on a terminal, plain lines
 * at every 10 % otherwise (logs and CI stay readable).
 */
export interface Progress {
  update(done: number, total: number, phase: string): void;
  finish(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, unit = 'rows'): Progress {
  const started = Date.now();
  let lastDraw = 0;
  let lastDecile = -1;
  let lastPhase = '';
  return {
    update(done, total, phase) {
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round(done / seconds) : 0;
      if (stream.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round(fraction * width);
        const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
        stream.write(`\r${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${phase.padEnd(16)} ${rate.toLocaleString('en')} ${unit}/s   `);
        return;
      }
      const decile = Math.floor(fraction * 10);
      if (decile !== lastDecile || phase !== lastPhase) {
        lastDecile = decile;
        lastPhase = phase;
        stream.write(`${phase}: ${(fraction * 100).toFixed(0)}% (${done.toLocaleString('en')}/${total.toLocaleString('en')}, ${rate.toLocaleString('en')} ${unit}/s)\n`);
      }
    },
    finish() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
