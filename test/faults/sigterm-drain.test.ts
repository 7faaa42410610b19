import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createFixture } from '../../src/testing/fixture.js';
import type { PgCluster } from '../support/pg-cluster.js';
import { clusterUnavailableReason, startPgCluster } from '../support/pg-cluster.js';
import { mintTestKey } from '../support/server.js';
import type { CliServer } from './cli-process.js';
import { startCliServer } from './cli-process.js';
import type { HttpOutcome } from './helpers.js';
import { customersPageQuery, kpiSeriesQuery, postGraphql, sleep, smallWorkspace, succeeded, waitFor, year2025 } from './helpers.js';

/**
 * `kpigraph serve` as a child process gets SIGTERM while requests are in
 * flight. The requests are made slow for real: another session holds a lock
 * on the tables they read, so they are provably inside the database when
 * the signal arrives, and finish once the lock is released.
 */
const unavailable = clusterUnavailableReason();
if (unavailable) console.warn(`Skipping SIGTERM drain tests: ${unavailable}`);

const IN_FLIGHT = 8;
const GRACE_MS = 8_000;
const HOLD_MS = 700;

/** Whether a brand-new TCP connection to the port is accepted. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Another session's lock on the tables the requests read: the requests are
 * provably inside PostgreSQL, waiting, until `release()`.
 */
interface TableLock {
  /** Resolves once `count` statements of the server wait on the lock. */
  waiters(count: number): Promise<void>;
  release(): Promise<void>;
}

async function lockTables(url: string): Promise<TableLock> {
  const locker = new pg.Client({ connectionString: url, application_name: 'fault-test-locker' });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE "Customer", "Deal", "DealDailyRollup" IN ACCESS EXCLUSIVE MODE');
  let released = false;
  return {
    async waiters(count) {
      await waitFor(
        `${count} requests to wait on the lock`,
        async () => {
          // Inside the locker's transaction pg_stat_activity would be a frozen snapshot: clear it.
          await locker.query('SELECT pg_stat_clear_snapshot()');
          const { rows } = await locker.query<{ waiting: number }>(
            "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE application_name = 'kpigraph' AND wait_event_type = 'Lock'",
          );
          return rows[0]!.waiting >= count;
        },
        10_000,
      );
    },
    async release() {
      if (released) return;
      released = true;
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end().catch(() => undefined);
    },
  };
}

/** Resolves with the time at which the process printed `text`. */
function printed(cli: CliServer, text: string, timeoutMs: number): Promise<number> {
  return waitFor(`the server to print "${text}"`, async () => cli.output().includes(text), timeoutMs, 10).then(() => performance.now());
}

const fireMix = (cli: CliServer, key: string, count: number): Promise<HttpOutcome>[] =>
  Array.from({ length: count }, (_, i) =>
    i % 2 ? postGraphql(cli.baseUrl, key, kpiSeriesQuery, year2025, 20_000) : postGraphql(cli.baseUrl, key, customersPageQuery, {}, 20_000),
  );

describe.skipIf(unavailable !== undefined)('SIGTERM under load', () => {
  let cluster: PgCluster | undefined;
  const servers: CliServer[] = [];
  let url: string;
  let key: string;

  beforeAll(async () => {
    cluster = await startPgCluster();
    url = await cluster.createDatabase('kpigraph');
    const setup = await openDatabase({ kind: 'postgres', url, poolSize: 2, connectTimeoutMs: 5_000, statementTimeoutMs: 60_000, idleTimeoutMs: 1_000 });
    try {
      await applyMigrations(setup.adapterFactory);
      const { workspaceId } = await createFixture(setup, smallWorkspace());
      key = await mintTestKey(setup, workspaceId, { role: 'VIEWER' });
    } finally {
      await setup.close();
    }
  });

  afterAll(async () => {
    for (const server of servers) await server.kill();
    await cluster?.destroy();
  });

  /**
   * The CLI with a pool larger than the requests, so that none waits for a connection instead of for the lock,
   * and no result cache, which would answer the warmed query without reading the locked tables.
   */
  async function serve(env: Record<string, string>): Promise<CliServer> {
    const cli = await startCliServer({ DATABASE_URL: url, DB_POOL_SIZE: '20', KPI_CACHE: 'false', ...env });
    servers.push(cli);
    // Warm the key and workspace caches, so the requests below wait only on the locked tables.
    expect(succeeded(await postGraphql(cli.baseUrl, key, customersPageQuery))).toBe(true);
    expect(succeeded(await postGraphql(cli.baseUrl, key, kpiSeriesQuery, year2025))).toBe(true);
    return cli;
  }

  it('finishes every in-flight request with data, refuses new connections, and exits 0 within the grace period', async () => {
    const cli = await serve({ SHUTDOWN_GRACE_MS: String(GRACE_MS) });
    const lock = await lockTables(url);
    let inFlight: Promise<HttpOutcome>[] = [];
    try {
      inFlight = fireMix(cli, key, IN_FLIGHT);
      await lock.waiters(IN_FLIGHT);

      const signalledAt = performance.now();
      cli.child.kill('SIGTERM');
      const stoppedLine = printed(cli, 'Stopped: every in-flight request finished.', GRACE_MS);
      // The listener closes at once: a new connection is refused while the old ones drain.
      const refusedMs = await waitFor('new connections to be refused', async () => !(await accepts(cli.port)), 2_000, 20);
      expect(cli.running).toBe(true);
      await sleep(HOLD_MS);
      await lock.release();
      const releasedAt = performance.now();

      const outcomes = await Promise.all(inFlight);
      const answeredMs = performance.now() - releasedAt;
      const drainedMs = (await stoppedLine) - releasedAt;
      const exit = await Promise.race([cli.exited, sleep(GRACE_MS).then(() => 'still running' as const)]);
      const exitedMs = performance.now() - signalledAt;
      console.log(
        `SIGTERM: new connections refused after ${Math.round(refusedMs)} ms; requests held ${HOLD_MS} ms after the signal, then ` +
          `${IN_FLIGHT} answered ${Math.round(answeredMs)} ms after the lock went; drain done ${Math.round(drainedMs)} ms after it; ` +
          `process exited ${Math.round(exitedMs)} ms after the signal`,
      );

      expect(outcomes.map((outcome) => outcome.status)).toEqual(Array.from({ length: IN_FLIGHT }, () => 200));
      expect(outcomes.filter((outcome) => !succeeded(outcome)).map((outcome) => JSON.stringify(outcome.body ?? outcome.failure))).toEqual([]);
      for (const [i, outcome] of outcomes.entries()) {
        const data = outcome.body!.data!;
        if (i % 2) expect((data['kpi'] as { series: unknown[] }).series).toHaveLength(12);
        else expect((data['customers'] as { edges: unknown[] }).edges).toHaveLength(10);
      }
      expect(exit).toEqual({ code: 0, signal: null });
      // The drain ends with the last response, not a keep-alive timeout later.
      expect(drainedMs).toBeLessThan(1_000);
      expect(exitedMs).toBeLessThan(HOLD_MS + 2_000);
      expect(cli.output()).not.toContain('grace period over');
    } catch (error) {
      throw new Error(`${String(error)}\n--- server output ---\n${cli.output().slice(-4_000)}`, { cause: error });
    } finally {
      await lock.release();
      await Promise.allSettled(inFlight);
    }
  });

  it('exits with status 1 when the grace period ends before a stuck request does', async () => {
    const graceMs = 1_500;
    const cli = await serve({ SHUTDOWN_GRACE_MS: String(graceMs) });
    const lock = await lockTables(url);
    let inFlight: Promise<HttpOutcome>[] = [];
    try {
      inFlight = fireMix(cli, key, 2);
      await lock.waiters(2);
      const signalledAt = performance.now();
      cli.child.kill('SIGTERM');
      const exit = await Promise.race([cli.exited, sleep(graceMs + 3_000).then(() => 'still running' as const)]);
      const exitedMs = performance.now() - signalledAt;
      console.log(`SIGTERM with a request stuck: process exited ${Math.round(exitedMs)} ms after the signal (grace ${graceMs} ms)`);
      expect(exit).toEqual({ code: 1, signal: null });
      expect(exitedMs).toBeGreaterThanOrEqual(graceMs - 50);
      expect(exitedMs).toBeLessThan(graceMs + 1_000);
      expect(cli.output()).toContain('Shutdown grace period over');
      // The stuck clients see their connection close rather than wait forever.
      expect((await Promise.all(inFlight)).map((outcome) => outcome.status)).toEqual([0, 0]);
    } catch (error) {
      throw new Error(`${String(error)}\n--- server output ---\n${cli.output().slice(-4_000)}`, { cause: error });
    } finally {
      await lock.release();
      await Promise.allSettled(inFlight);
    }
  });
});
