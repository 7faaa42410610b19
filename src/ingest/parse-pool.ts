/**
 * Worker threads that split, parse and validate NDJSON and CSV batches
 * (ndjson-batches.ts, csv-batches.ts) and write their COPY text, while the
 * importing thread only reads the file and stages what comes back. Reading
 * is the import's CPU-heaviest phase on the node side (JSON.parse or the
 * CSV parser, the rules, timestamps, the COPY text, all once a row), and
 * the database has little to do meanwhile (the staging
 * COPY), so on two cores the work spreads over both. Batches go out as
 * bytes (moved, not copied) and come back in the order they went out, so
 * rows keep their order, their line numbers and their staging seqs.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BatchPlace, CheckedBatch } from './checked-batch.js';
import type { ParseJob } from './parse-job.js';

interface Pending {
  resolve: (checked: CheckedBatch) => void;
  reject: (error: unknown) => void;
}

/** Workers for files this large (bytes) and up: below it, starting workers (worker-bundle.ts) costs more than they save. */
export const parseWorkerMinimumBytes = 16 << 20;

/** One worker per core, at most four: the importing thread and the database need CPU too, and beyond that COPY is the limit. */
export const defaultParseWorkers = (): number => Math.max(1, Math.min(4, availableParallelism()));

export class ParsePool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: unknown = null;
  private closed = false;

  /** `entry`: the worker's module, from parseWorkerUrl (worker-bundle.ts). */
  constructor(size: number, timeZone: string, entry: URL) {
    this.workers = Array.from({ length: size }, () => {
      // A larger young generation: checking rows allocates many short-lived strings and objects, and
      // with V8's default young generation the scavenges take a real share of a worker's time.
      const worker = new Worker(entry, { workerData: { timeZone }, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
      worker.on('message', ({ id, checked }: { id: number; checked: CheckedBatch }) => {
        this.pending.get(id)?.resolve(checked);
        this.pending.delete(id);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closed) this.fail(new Error(`An import parse worker stopped (exit code ${code}).`));
      });
      return worker;
    });
  }

  /**
   * How many batches to keep under way: sixteen a worker keep each busy
   * while the importing thread waits for a staging COPY, without holding
   * much more than that in memory.
   */
  get depth(): number {
    return this.workers.length * 16;
  }

  /** Checks a batch on the next worker in turn; its bytes move to the worker. */
  check(job: ParseJob, place: BatchPlace): Promise<CheckedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const checked = new Promise<CheckedBatch>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage({ id, job, place }, [job.batch.bytes.buffer as ArrayBuffer]);
    });
    // Batches still under way when the import stops for another reason fail unobserved: not a crash.
    checked.catch(() => undefined);
    return checked;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
