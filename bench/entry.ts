/**
 * One measured run as bench/results.json keeps it, shared by the report
 * that writes the tables and the targets it is judged against.
 */
import type { BenchDbKind, BenchSize } from './dataset.js';
import type { HarnessResult } from './harness.js';
import type { MachineInfo } from './machine.js';

export interface BenchEntry {
  db: BenchDbKind;
  size: BenchSize;
  seed: number;
  location: string;
  rowCounts: Record<string, number>;
  loadSeconds: number | null;
  measuredAt: string;
  options: { runs: number; warmup: number; concurrency: readonly number[]; loadSeconds: number; pgJit?: boolean; rollups?: boolean; cache?: 'cold' | 'warm' | 'answers' };
  result: HarnessResult;
}

export interface BenchResults {
  machine: MachineInfo;
  entries: BenchEntry[];
}
