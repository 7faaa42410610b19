/**
 * Runs the scenarios against one loaded dataset: the server in-process
 * (yoga.fetch) and over HTTP, the floor through the driver, the naive
 * engine for the dashboard, and autocannon under concurrency. Checks first
 * that server and floor give the same numbers, so the timings compare equal
 * work.
 */
import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import type { ExecutionResult } from 'graphql';
import { createApiKey } from '../src/auth/api-keys.js';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/client.js';
import type { KpiRegistry } from '../src/kpi/registry.js';
import { createServer } from '../src/server/create-server.js';
import { createLogger } from '../src/telemetry/logger.js';
import { createKpiRegistry } from '../src/kpi/kpi-plugins.js';
import type { Dataset } from './dataset.js';
import type { LoadResult } from './load-test.js';
import { runLoad } from './load-test.js';
import { MemorySampler } from './memory.js';
import type { EngineRun } from './naive.js';
import { engineDashboard } from './naive.js';
import { benchPeriods } from './periods.js';
import type { Scenario, ScenarioContext, ScenarioName } from './scenarios.js';
import { dashboardFormulaKpi, dashboardKpis, scenarios } from './scenarios.js';
import type { SourceCount } from './sources.js';
import { countSources } from './sources.js';
import type { Summary } from './stats.js';
import { ratio, timeInTurns } from './stats.js';
import type { Comparison } from './values.js';
import { compareValues } from './values.js';

export interface HarnessOptions {
  scenarios: readonly ScenarioName[];
  runs: number;
  warmup: number;
  /** Runs of the unbatched engine (slow on big data). */
  naiveRuns: number;
  http: boolean;
  /** Concurrency levels for autocannon; empty skips the load test. */
  concurrency: readonly number[];
  loadSeconds: number;
  /** Read measures from the daily rollups (ROLLUPS=on, the default) or always from the rows. */
  rollups?: boolean;
  /**
   * `warm`: the server keeps computed cells (KPI_CACHE), which the warm-up fills, and assembles each answer;
   * `answers`: it also keeps whole answers (RESPONSE_CACHE_MB, its default); `cold` (default): no cache.
   */
  cache?: 'cold' | 'warm' | 'answers';
  log?: (line: string) => void;
}

export interface ScenarioResult {
  name: ScenarioName;
  title: string;
  skipped?: string;
  agreement?: Comparison & { agree: boolean };
  /** Statements per request (median over the measured runs) and one request's split. */
  statements?: { server: number; engineRaw: number; prisma: number; floor: number };
  inProcess?: Summary;
  http?: Summary;
  floor?: Summary;
  /** Server median ÷ floor median, in-process and over HTTP. */
  ratio?: { inProcess: number | null; http: number | null };
  /** What the dashboard reads: the yardstick for its statement count. */
  reads?: SourceCount;
  engine?: { batched: EngineRun; naive: EngineRun; statementRatio: number | null; timeRatio: number | null };
  load?: LoadResult[];
}

export interface HarnessResult {
  scenarios: ScenarioResult[];
  memory: { peakMb: number; byPhaseMb: Record<string, number> };
}

async function execute(fetchFn: (request: Request) => Promise<Response>, url: string, key: string, body: string): Promise<ExecutionResult> {
  const request = () => fetchFn(new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body }));
  // After a load test, the client may pick a pooled socket the server has just
  // reset (ECONNRESET); the operations are reads, so one retry is safe.
  const response = await request().catch((error: unknown) => {
    if (error instanceof TypeError && error.message === 'fetch failed') return request();
    throw error;
  });
  const result = (await response.json()) as ExecutionResult;
  if (response.status !== 200 || result.errors?.length) throw new Error(`HTTP ${response.status}: ${JSON.stringify(result.errors ?? result).slice(0, 400)}`);
  return result;
}

async function countDuring(db: Database, work: () => Promise<unknown>): Promise<{ raw: number; prisma: number }> {
  const counts = { raw: 0, prisma: 0 };
  const stop = db.onStatement((event) => counts[event.source]++);
  try {
    await work();
  } finally {
    stop();
  }
  return counts;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;

export async function runHarness(dataset: Dataset, options: HarnessOptions, registryArg?: KpiRegistry): Promise<HarnessResult> {
  const log = options.log ?? (() => undefined);
  const { db, workspaceId } = dataset;
  const memory = new MemorySampler();
  memory.start();
  const registry = registryArg ?? (await createKpiRegistry());
  // The rate limit would measure itself, not the server's work.
  const config = loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'false', HOST: '127.0.0.1', DB_STATEMENT_TIMEOUT_MS: '600000', RATE_LIMIT_PER_MINUTE: '0',
    KPI_CACHE: options.cache === 'warm' || options.cache === 'answers' ? 'true' : 'false', RESPONSE_CACHE_MB: options.cache === 'answers' ? '64' : '0', ROLLUPS: options.rollups === false ? 'off' : 'on', GOAL_EVENTS: 'false' });
  // Request lines at the production level, written where they cost a write but fill no screen.
  const logger = createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: true }) });
  const server = createServer({ db, config, registry, logger });
  const { key, id: keyId } = await createApiKey(db.prisma, { workspaceId, name: 'bench', role: 'VIEWER' });
  const formula = { ...dashboardFormulaKpi, workspaceId, version: 1 };
  await db.prisma.workspaceKpi.upsert({ where: { workspaceId_key_version: { workspaceId, key: formula.key, version: 1 } }, create: formula, update: formula });
  // The server's own listen() ties close() to the database, which belongs to
  // the caller here; the same handler on a plain HTTP server can be closed alone.
  // autocannon stops sending after its duration, but requests it queued keep
  // the server busy; the next measurement waits for them. Counted until the
  // handler is done, not until the socket closes: a request whose client has
  // gone still runs its SQL, and a backlog of them would stall the next
  // scenario. But a handler whose client has gone may also never settle (no
  // socket, no SQL, the handler still pending), so requests whose socket has closed are released once the
  // database has worked through what was queued before a probe statement.
  let inFlight = 0;
  const orphans = new Set<() => void>();
  const http = createHttpServer((request, response) => {
    inFlight++;
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      orphans.delete(done);
      inFlight--;
    };
    response.once('close', () => {
      if (!settled) orphans.add(done);
    });
    void Promise.resolve(server.yoga(request, response)).finally(done);
  });
  // Longer than any pause between scenarios, so the client never reuses a
  // socket the server is just closing (ECONNRESET).
  http.keepAliveTimeout = 120_000;
  const drained = async (): Promise<void> => {
    for (let waited = 0; inFlight > 0 && waited < 600_000; waited += 100) {
      if (orphans.size === inFlight) {
        // PGlite runs statements in order and the pool hands out connections
        // in order: the probe returns after the backlog's SQL.
        await db.query('SELECT 1');
        for (const done of [...orphans]) done();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const port = options.http || options.concurrency.length > 0 ? await listen(http) : 0;
  const httpUrl = `http://127.0.0.1:${port}/graphql`;
  const periods = benchPeriods();
  const all = scenarios(periods);
  const ctx: ScenarioContext = { db, workspaceId, periods };
  const results: ScenarioResult[] = [];
  try {
    for (const name of options.scenarios) {
      const scenario: Scenario = all[name];
      const body = JSON.stringify({ query: scenario.query, variables: scenario.variables(ctx) });
      const inProcess = () => execute((request) => Promise.resolve(server.yoga.fetch(request)), 'http://bench.local/graphql', key, body);
      const overHttp = () => execute((request) => fetch(request), httpUrl, key, body);
      const result: ScenarioResult = { name, title: scenario.title };
      results.push(result);
      memory.enter(name);
      log(`${name}: checking server against floor`);
      let first: ExecutionResult;
      try {
        first = await inProcess();
      } catch (error) {
        // The goals API may not exist yet in this checkout.
        if (/Cannot query field \\?"goals/.test(String(error))) {
          result.skipped = 'the goals API is not in this build';
          continue;
        }
        throw error;
      }
      const comparison = compareValues(scenario.serverValues(first.data), await scenario.floor(ctx));
      result.agreement = { ...comparison, agree: comparison.mismatches.length === 0 };
      if (!result.agreement.agree) log(`  MISMATCH ${comparison.mismatches.slice(0, 3).join('; ')}`);

      // Server, floor and HTTP take turns, run by run, so that a load the
      // machine has from elsewhere weighs on all of them alike and the
      // ratios stay fair on a shared machine.
      log(`${name}: in-process, floor${options.http ? ' and HTTP' : ''} in turn ×${options.runs}`);
      const serverCounts: number[] = [];
      let split = { raw: 0, prisma: 0 };
      const measured = await timeInTurns(
        [
          async () => {
            split = await countDuring(db, inProcess);
            serverCounts.push(split.raw + split.prisma);
          },
          () => scenario.floor(ctx),
          ...(options.http ? [overHttp] : []),
        ],
        options.warmup,
        options.runs,
      );
      result.inProcess = measured[0]!;
      result.floor = measured[1]!;
      if (options.http) result.http = measured[2]!;
      const floorCounts = await countDuring(db, () => scenario.floor(ctx));
      result.statements = { server: median(serverCounts.slice(options.warmup)), engineRaw: split.raw, prisma: split.prisma, floor: floorCounts.raw + floorCounts.prisma };
      result.ratio = { inProcess: ratio(result.inProcess.medianMs, result.floor.medianMs), http: result.http ? ratio(result.http.medianMs, result.floor.medianMs) : null };

      if (name === 'dashboard') {
        memory.enter('dashboard-naive');
        log(`dashboard: engine batched ×${options.runs}, unbatched ×${options.naiveRuns}`);
        const batched = await engineDashboard(db, workspaceId, registry, periods, true, options.warmup, options.runs);
        const naive = await engineDashboard(db, workspaceId, registry, periods, false, Math.min(1, options.warmup), options.naiveRuns);
        result.reads = countSources(registry, dashboardKpis);
        result.engine = {
          batched,
          naive,
          statementRatio: ratio(naive.statements, batched.statements),
          timeRatio: ratio(naive.timing.medianMs, batched.timing.medianMs),
        };
      }
      if ((name === 'dashboard' || name === 'single-kpi') && options.concurrency.length > 0) {
        result.load = [];
        for (const connections of options.concurrency) {
          memory.enter(`${name}-load-${connections}`);
          log(`${name}: autocannon ${connections} connections × ${options.loadSeconds} s`);
          result.load.push(await runLoad(httpUrl, key, body, connections, options.loadSeconds));
          await drained();
        }
      }
    }
  } finally {
    memory.stop();
    await db.prisma.apiKey.delete({ where: { id: keyId } }).catch(() => undefined);
    await new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    });
  }
  return { scenarios: results, memory: memory.report() };
}

function listen(http: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => {
      const address = http.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}
