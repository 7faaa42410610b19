/** What the numbers were measured on, for the report. */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { Database } from '../src/db/client.js';

export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  pglite: string;
  postgres: string | null;
  /** The PostgreSQL version compiled into PGlite. */
  pglitePostgres: string | null;
  /** 1-minute load average at the end of the run: other work on the machine skews timings. */
  loadAverage: number;
}

async function cpuModel(): Promise<string> {
  try {
    const text = await readFile('/proc/cpuinfo', 'utf8');
    return /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

async function pgliteVersion(): Promise<string> {
  // The package's exports hide package.json from import and require.
  const file = new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url);
  const { version } = JSON.parse(await readFile(file, 'utf8')) as { version: string };
  return version;
}

export async function serverVersion(db: Database): Promise<string> {
  const { rows } = await db.query<{ server_version: string }>('SHOW server_version');
  return rows[0]!.server_version;
}

export async function machineInfo(versions: { postgres: string | null; pglitePostgres: string | null }): Promise<MachineInfo> {
  return {
    date: new Date().toISOString(),
    cpu: await cpuModel(),
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    pglite: await pgliteVersion(),
    ...versions,
    loadAverage: Math.round(os.loadavg()[0]! * 10) / 10,
  };
}
