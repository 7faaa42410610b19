import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createFixture } from '../../src/testing/fixture.js';
import type { PgCluster } from '../support/pg-cluster.js';
import { clusterUnavailableReason, startPgCluster } from '../support/pg-cluster.js';
import { mintTestKey } from '../support/server.js';
import type { CliServer } from './cli-process.js';
import { startCliServer } from './cli-process.js';
import type { Sample } from './helpers.js';
import { getStatus, postGraphql, sleep, smallWorkspace, startLoad, succeeded, waitFor, customersPageQuery } from './helpers.js';

/**
 * The real server (`kpigraph serve` as a child process) on a PostgreSQL
 * cluster of this file's own, which the test crashes (`pg_ctl stop -m
 * immediate`) in the middle of a stream of requests and then starts again.
 */
const unavailable = clusterUnavailableReason();
if (unavailable) console.warn(`Skipping database-stopped tests: ${unavailable}`);

const CLIENTS = 6;
// Small bounds, so that a request against a dead database fails in about a second.
const serverEnv = { DB_POOL_SIZE: '4', DB_CONNECT_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '2000', DB_IDLE_TIMEOUT_MS: '5000' };

/** 503 with SERVICE_UNAVAILABLE and Retry-After, saying nothing of the driver's message. */
const unavailableAnswer = (sample: Sample): boolean =>
  sample.status === 503 &&
  Number(sample.retryAfter) > 0 &&
  (sample.body?.errors?.length ?? 0) > 0 &&
  sample.body!.errors!.every((error) => error.extensions?.['code'] === 'SERVICE_UNAVAILABLE' && /^The database is unavailable; retry in \d+ s\.$/.test(error.message));

describe.skipIf(unavailable !== undefined)('the database stops under load', () => {
  let cluster: PgCluster | undefined;
  let server: CliServer | undefined;
  let key: string;

  beforeAll(async () => {
    cluster = await startPgCluster();
    const url = await cluster.createDatabase('kpigraph');
    const setup = await openDatabase({ kind: 'postgres', url, poolSize: 2, connectTimeoutMs: 5_000, statementTimeoutMs: 60_000, idleTimeoutMs: 1_000 });
    try {
      await applyMigrations(setup.adapterFactory);
      const { workspaceId } = await createFixture(setup, smallWorkspace());
      key = await mintTestKey(setup, workspaceId, { role: 'VIEWER' });
    } finally {
      await setup.close();
    }
    server = await startCliServer({ ...serverEnv, DATABASE_URL: url });
  });

  afterAll(async () => {
    await server?.kill();
    await cluster?.destroy();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After while it is down, keeps serving /health, reports not ready, and resumes on its own', async () => {
    const cli = server!;
    const pg = cluster!;
    const base = cli.baseUrl;
    expect(await getStatus(base, '/ready')).toBe(200);

    const load = startLoad(base, key, CLIENTS);
    let stoppedAt = 0;
    let restartedAt = 0;
    try {
      await waitFor('a healthy stream of answers', async () => load.samples.filter(succeeded).length >= 4 * CLIENTS, 20_000);

      stoppedAt = performance.now();
      await pg.stop('immediate');
      const notReadyMs = await waitFor('/ready to say 503', async () => (await getStatus(base, '/ready')) === 503, 5_000);
      expect(await getStatus(base, '/health')).toBe(200);
      // Let the stream hit the dead database for a while: pool connects fail, queued requests time out.
      await sleep(2_000);
      expect(await getStatus(base, '/health')).toBe(200);
      expect(await getStatus(base, '/ready')).toBe(503);

      restartedAt = performance.now();
      await pg.start();
      const startedMs = performance.now() - restartedAt;
      const resumedMs = await waitFor(
        'a request sent after the restart to succeed',
        async () => load.samples.some((sample) => sample.start > restartedAt && succeeded(sample)),
        10_000,
        20,
      );
      const readyMs = await waitFor('/ready to say 200', async () => (await getStatus(base, '/ready')) === 200, 10_000);
      // Keep the stream going: every request from here on must succeed.
      const settledAt = performance.now();
      await sleep(1_500);
      await load.stop();

      const outage = load.samples.filter((sample) => sample.end > stoppedAt && sample.start < restartedAt);
      const failed = outage.filter((sample) => !succeeded(sample));
      const inFlightAtStop = load.samples.filter((sample) => sample.start < stoppedAt && sample.end > stoppedAt);
      const after = load.samples.filter((sample) => sample.start > settledAt);
      const slowestFailure = Math.max(...failed.map((sample) => sample.ms));
      const medianFailure = failed.map((sample) => sample.ms).sort((a, b) => a - b)[Math.floor(failed.length / 2)] ?? NaN;
      console.log(
        [
          `outage: ${outage.length} requests, ${failed.length} failed (all 503), ${inFlightAtStop.length} in flight at the stop`,
          `failure latency: median ${Math.round(medianFailure)} ms, slowest ${Math.round(slowestFailure)} ms`,
          `/ready 503 ${Math.round(notReadyMs)} ms after the stop; pg_ctl start took ${Math.round(startedMs)} ms`,
          `first success ${Math.round(resumedMs)} ms after pg_ctl start returned, /ready 200 after ${Math.round(readyMs)} ms more`,
          `after recovery: ${after.length} requests, ${after.filter(succeeded).length} succeeded`,
        ].join('\n'),
      );

      // No hang and no dropped connection: everything in the outage got an HTTP answer…
      expect(outage.filter((sample) => sample.status === 0).map((sample) => sample.failure)).toEqual([]);
      expect(failed.length).toBeGreaterThan(CLIENTS);
      // …with 503 SERVICE_UNAVAILABLE and Retry-After (nothing of the driver's message leaks)…
      expect(failed.filter((sample) => !unavailableAnswer(sample)).map((sample) => `${sample.status} ${JSON.stringify(sample.body)}`)).toEqual([]);
      // …within a few seconds: the connect timeout (1 s) plus a little, never the client's 10 s deadline.
      expect(slowestFailure).toBeLessThan(4_000);
      // The process never went away, and came back with no restart.
      expect(cli.running).toBe(true);
      expect(resumedMs).toBeLessThan(5_000);
      expect(after.length).toBeGreaterThan(CLIENTS);
      expect(after.filter((sample) => !succeeded(sample)).map((sample) => JSON.stringify(sample.body ?? sample.failure))).toEqual([]);
    } catch (error) {
      await load.stop();
      throw new Error(`${String(error)}\n--- server output ---\n${cli.output().slice(-4_000)}\n--- postgres log ---\n${(await pg.log()).slice(-2_000)}`, { cause: error });
    }
  });

  it('still answers a single request normally afterwards', async () => {
    const outcome = await postGraphql(server!.baseUrl, key, customersPageQuery);
    expect(succeeded(outcome)).toBe(true);
    expect(await getStatus(server!.baseUrl, '/ready')).toBe(200);
  });
});
