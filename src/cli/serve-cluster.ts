import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { parseArgs } from 'node:util';
import { UsageError, exitCodes } from './usage-error.js';

export interface ServeArgs {
  /** Server processes to run; 1 serves in this process. */
  workers: number;
}

export function parseServeArgs(args: readonly string[]): ServeArgs {
  const { values } = parseArgs({ args: [...args], options: { workers: { type: 'string', default: '1' } }, strict: true });
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    throw new UsageError(`--workers must be a whole number from 1 to 64 (one per core is a good start); got ${values.workers}.`);
  }
  return { workers };
}

/** True in a process that `serveWorkers` forked. */
export const isServeWorker = (): boolean => cluster.isWorker;

/**
 * The primary of `serve --workers N`: once `prepare` (port check, migrations,
 * demo data) has run, forks N server processes that share the listening port
 * (node:cluster hands connections out in turn) and nothing else but the
 * database and Redis. A worker that dies is replaced; SIGTERM/SIGINT are
 * passed on, and the primary exits once every worker has drained.
 */
export async function serveWorkers(workers: number, prepare: () => Promise<number | null>): Promise<number> {
  const refused = await prepare();
  if (refused !== null) return refused;
  let stopping = false;
  const live = new Set<Worker>();
  const fork = (): void => {
    const worker = cluster.fork();
    live.add(worker);
    worker.once('exit', (code, signal) => {
      live.delete(worker);
      if (stopping) return;
      console.error(`kpigraph serve: worker ${worker.process.pid ?? '?'} exited (${signal ?? `code ${String(code)}`}); starting another.`);
      fork();
    });
  };
  for (let i = 0; i < workers; i++) fork();
  console.log(`kpigraph serve: ${workers} worker processes (pids: ${[...live].map((worker) => worker.process.pid).join(', ')}).`);
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: stopping ${live.size} workers once their requests finish.`);
      if (live.size === 0) resolve(exitCodes.ok);
      let failed = false;
      for (const worker of live) {
        worker.once('exit', (code, exitSignal) => {
          // A replacement still booting has no handler yet and ends by the signal itself.
          failed ||= code !== 0 && exitSignal !== signal;
          if (live.size === 0) resolve(failed ? exitCodes.failure : exitCodes.ok);
        });
        worker.process.kill(signal);
      }
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
