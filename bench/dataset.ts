/**
 * Benchmark datasets: the deterministic demo data at a named size, loaded
 * once and kept between runs (a PostgreSQL database per size and seed, a
 * PGlite data directory under tmp/bench/), plus the 100 goals the goals page
 * reads. A dataset is complete when its workspace exists: the demo load is
 * one transaction, so an interrupted load leaves nothing behind.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Database } from '../src/db/client.js';
import { openDatabase } from '../src/db/client.js';
import { demoSizes, loadDemoData } from '../src/db/demo/index.js';
import { applyMigrations } from '../src/db/migrate.js';
import { benchNow, benchTimeZone } from './clock.js';
import { seedGoals } from './goals-fixture.js';

export type BenchSize = keyof typeof demoSizes;
export type BenchDbKind = 'pglite' | 'postgres';


export interface Dataset {
  db: Database;
  workspaceId: number;
  /** Where it lives, for the report. */
  location: string;
  /** Seconds spent loading in this run; null when it was cached. */
  loadSeconds: number | null;
  rowCounts: Record<string, number>;
}

export interface DatasetOptions {
  kind: BenchDbKind;
  size: BenchSize;
  seed: number;
  /** Base PostgreSQL URL (its database is replaced by the bench's). */
  postgresUrl?: string;
  /** An already open database (the smoke test's): loaded into, never dropped. */
  db?: Database;
  /**
   * PostgreSQL's JIT compiler for the bench database (default off: on these
   * statements it spends seconds compiling what runs in milliseconds; see
   * RESULTS.md). Applies to server and floor alike.
   */
  pgJit?: boolean;
  /** Refuse to load; fail when the dataset is not there yet. */
  skipLoad?: boolean;
  pgliteRoot?: string;
  log?: (line: string) => void;
}

const workspaceName = (size: BenchSize, seed: number): string => `kpigraph bench ${size} seed ${seed}`;

export function postgresDatabaseName(size: BenchSize, seed: number): string {
  return `kpigraph_bench_${size.toLowerCase()}_${seed}`;
}

async function ensurePostgresDatabase(baseUrl: string, name: string, jit: boolean): Promise<string> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    // The name is built from a size label and an integer seed: safe as an identifier.
    if (!rowCount) await admin.query(`CREATE DATABASE "${name}"`);
    // A database default, so that every pooled session of server and floor gets it.
    await admin.query(`ALTER DATABASE "${name}" SET jit = ${jit ? 'on' : 'off'}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function openFor(options: DatasetOptions): Promise<{ db: Database; location: string }> {
  if (options.db) return { db: options.db, location: `${options.db.kind} (given)` };
  if (options.kind === 'postgres') {
    if (!options.postgresUrl) throw new Error('PostgreSQL needs DATABASE_URL');
    const url = await ensurePostgresDatabase(options.postgresUrl, postgresDatabaseName(options.size, options.seed), options.pgJit ?? false);
    // The server's pool size; but waiting for a free connection may take long
    // here: the unbatched dashboard queues 156 statements on 10 connections,
    // and at M that exceeds the default 5 s wait ("timeout exceeded when trying to connect").
    const db = await openDatabase({ kind: 'postgres', url, poolSize: 10, connectTimeoutMs: 600_000, statementTimeoutMs: 600_000, idleTimeoutMs: 30_000 });
    const shown = new URL(url);
    return { db, location: `PostgreSQL ${shown.hostname}:${shown.port || '5432'}${shown.pathname}` };
  }
  const dir = path.resolve(options.pgliteRoot ?? 'tmp/bench', `pglite-${options.size}-${options.seed}`);
  await mkdir(dir, { recursive: true });
  return { db: await openDatabase({ kind: 'pglite', dataDir: dir }), location: `PGlite ${path.relative(process.cwd(), dir)}` };
}

const countedTables = ['Customer', 'Deal', 'DealStageEvent', 'Activity', 'Payment', 'Goal'] as const;

async function rowCounts(db: Database, workspaceId: number): Promise<Record<string, number>> {
  const parts = countedTables.map((table) => `(SELECT count(*)::int FROM "${table}" WHERE "workspaceId" = $1) AS "${table}"`);
  const { rows } = await db.query<Record<string, number>>(`SELECT ${parts.join(', ')}`, [workspaceId]);
  return rows[0]!;
}

/** Opens (and, unless cached, loads) the dataset of a size and seed. */
export async function openDataset(options: DatasetOptions): Promise<Dataset> {
  const log = options.log ?? (() => undefined);
  const { db, location } = await openFor(options);
  try {
    await applyMigrations(db.adapterFactory);
    const name = workspaceName(options.size, options.seed);
    const found = await db.query<{ id: number }>('SELECT id FROM "Workspace" WHERE name = $1 ORDER BY id LIMIT 1', [name]);
    let workspaceId = found.rows[0]?.id;
    let loadSeconds: number | null = null;
    if (workspaceId === undefined) {
      if (options.skipLoad) throw new Error(`--skip-load: no ${options.size} dataset (seed ${options.seed}) in ${location}`);
      const started = performance.now();
      let last = 0;
      log(`loading ${options.size} (${demoSizes[options.size].toLocaleString('en-US')} deals) into ${location}…`);
      const summary = await loadDemoData(db, {
        deals: demoSizes[options.size],
        seed: options.seed,
        now: benchNow,
        timeZone: benchTimeZone,
        workspaceName: name,
        onProgress: (done, total, phase) => {
          const now = performance.now();
          if (now - last > 15_000) {
            last = now;
            log(`  ${phase} ${done}/${total}`);
          }
        },
      });
      workspaceId = summary.workspaceId;
      // Fresh planner statistics, as a production database would have.
      await db.query('ANALYZE');
      loadSeconds = (performance.now() - started) / 1000;
      log(`  loaded in ${loadSeconds.toFixed(1)} s`);
    }
    await seedGoals(db, workspaceId);
    return { db, workspaceId, location, loadSeconds, rowCounts: await rowCounts(db, workspaceId) };
  } catch (error) {
    if (!options.db) await db.close();
    throw error;
  }
}
