import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';

/** A stream that keeps what is written; a terminal or not. */
function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('progress reporter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-03T08:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('writes a plain line each tenth of the way when the stream is not a terminal, with the rate since the first update', () => {
    const { stream, written } = fakeStream(false);
    const progress = createProgress(stream, 'rows');
    progress.update(0, 1000, 'reading');
    vi.advanceTimersByTime(500);
    progress.update(50, 1000, 'reading'); // still the first tenth: no line
    vi.advanceTimersByTime(500);
    progress.update(250, 1000, 'reading');
    vi.advanceTimersByTime(1000);
    progress.update(1000, 1000, 'reading');
    expect(written).toEqual(['reading: 0% (0/1,000, – rows/s)\n', 'reading: 25% (250/1,000, 250 rows/s)\n', 'reading: 100% (1,000/1,000, 500 rows/s)\n']);
  });

  it('counts a resumed phase from its first update, not the rows done before the bar existed', () => {
    // An import writes customers, builds their indexes, then resumes writing
    // with a fresh bar whose first update already counts 1,750,000 rows.
    const { stream, written } = fakeStream(false);
    const progress = createProgress(stream, 'rows');
    vi.advanceTimersByTime(4000);
    progress.update(1_750_000, 4_000_000, 'writing');
    vi.advanceTimersByTime(2000);
    progress.update(2_150_000, 4_000_000, 'writing');
    expect(written).toEqual(['writing: 44% (1,750,000/4,000,000, – rows/s)\n', 'writing: 54% (2,150,000/4,000,000, 200,000 rows/s)\n']);
  });

  it('redraws one bar on a terminal at most every 100 ms, always drawing the end, and ends it with a line break', () => {
    const { stream, written } = fakeStream(true);
    const progress = createProgress(stream, 'rows');
    progress.update(0, 100, 'writing');
    vi.advanceTimersByTime(50);
    progress.update(10, 100, 'writing'); // too soon: skipped
    vi.advanceTimersByTime(50);
    progress.update(40, 100, 'writing');
    progress.update(100, 100, 'writing'); // the end is drawn at once
    progress.finish();
    expect(written).toHaveLength(4);
    expect(written[0]).toBe(`\r${'░'.repeat(30)}   0% writing          – rows/s   `);
    expect(written[1]).toBe(`\r${'█'.repeat(12)}${'░'.repeat(18)}  40% writing          400 rows/s   `);
    expect(written[2]).toBe(`\r${'█'.repeat(30)} 100% writing          1,000 rows/s   `);
    expect(written[3]).toBe('\n');
  });
});
