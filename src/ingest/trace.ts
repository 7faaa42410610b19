/**
 * Where an import's time goes, for whoever tunes it: with
 * KPIGRAPH_IMPORT_TRACE=1 every statement of a PostgreSQL import is written
 * to stderr with its wall time, the CPU time this process (all its threads)
 * and the database backend spent meanwhile, the load average and the share
 * of the machine's CPU time its hypervisor stole (a virtual machine's speed
 * can drop by half when its host is busy, and only this tells a slow
 * machine from slow code). COPYs are summed until the next statement,
 * since they overlap with parsing. The backend's CPU is read from /proc, so
 * it shows only when the server runs on this machine and its process is
 * readable ("db ?" otherwise).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ImportSession } from './import-session.js';

export const traceRequested = (): boolean => !['', '0', undefined].includes(process.env['KPIGRAPH_IMPORT_TRACE']);

/** CPU seconds (user + system) of a process, from /proc/<pid>/stat; NaN when unreadable. */
function processCpu(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU time of the whole machine from /proc/stat, in clock ticks: all of it, and what the hypervisor stole; null when unreadable. */
function machineCpu(): { total: number; steal: number } | null {
  try {
    // The first line sums all CPUs: user nice system idle iowait irq softirq steal …
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    if (ticks.length < 8 || ticks.some((n) => !Number.isFinite(n))) return null;
    return { total: ticks.reduce((sum, n) => sum + n, 0), steal: ticks[7]! };
  } catch {
    return null;
  }
}

/** Wraps a session so that each statement reports its costs (see the module comment). */
export async function tracedSession(session: ImportSession, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<ImportSession> {
  const [backend] = await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = backend?.pid ?? 0;
  const started = performance.now();
  const sample = () => ({ at: performance.now(), node: process.cpuUsage(), db: processCpu(pid), machine: machineCpu() });
  let last = sample();
  let copies = 0;
  let copyMs = 0;
  const report = (what: string): void => {
    const now = sample();
    const node = (now.node.user + now.node.system - last.node.user - last.node.system) / 1e6;
    const db = Number.isNaN(now.db) ? '?' : `${(now.db - last.db).toFixed(2)}s`;
    const ticks = now.machine && last.machine ? now.machine.total - last.machine.total : 0;
    const steal = now.machine && last.machine && ticks > 0 ? `${Math.round((100 * (now.machine.steal - last.machine.steal)) / ticks)}%` : '?';
    write(`[import] +${((now.at - last.at) / 1000).toFixed(2)}s at ${((now.at - started) / 1000).toFixed(1)}s, CPU node ${node.toFixed(2)}s db ${db}, load ${loadavg()[0]!.toFixed(1)}, steal ${steal}: ${what}`);
    last = now;
  };
  return {
    async query<Row>(sql: string, params?: readonly unknown[]) {
      if (copies > 0) {
        report(`${copies} COPY, ${(copyMs / 1000).toFixed(2)}s waiting for them`);
        copies = 0;
        copyMs = 0;
      }
      const rows = await session.query<Row>(sql, params);
      report(sql.replace(/\s+/g, ' ').slice(0, 120));
      return rows;
    },
    async copyIn(target, pieces) {
      const start = performance.now();
      await session.copyIn(target, pieces);
      copyMs += performance.now() - start;
      copies++;
    },
  };
}
