/**
 * npm run bench:workers -- [--size S|M|L] [--seed N] [--workers 1,2] [--connections 10] [--seconds 10]
 *   [--scenarios dashboard,single-kpi] [--rollups on|off] [--cache cold|warm]
 *
 * Throughput of `kpigraph serve --workers N` on a loaded PostgreSQL bench
 * dataset (DATABASE_URL names the server; the dataset must exist: load it
 * with `npm run bench -- --size … --db postgres` first). Each worker count
 * runs as a real CLI process; autocannon, in a process of its own, sends one
 * scenario's request from many connections for a fixed time. The table goes
 * into bench/RESULTS.md between its workers markers.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createApiKey } from '../src/auth/api-keys.js';
import type { BenchSize } from './dataset.js';
import { openDataset, postgresDatabaseName } from './dataset.js';
import type { LoadResult } from './load-test.js';
import { runLoad } from './load-test.js';
import { benchPeriods } from './periods.js';
import type { ScenarioName } from './scenarios.js';
import { dashboardFormulaKpi, scenarios } from './scenarios.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'S' },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string', default: '1,2' },
    connections: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '10' },
    scenarios: { type: 'string', default: 'dashboard,single-kpi' },
    rollups: { type: 'string', default: 'on' },
    cache: { type: 'string', default: 'cold' },
  },
  strict: true,
});
const baseUrl = process.env['DATABASE_URL'];
if (!baseUrl) throw new Error('bench:workers needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
const size = values.size as BenchSize;
const seed = Number(values.seed);
const workerCounts = values.workers.split(',').map(Number);
const connections = Number(values.connections);
const seconds = Number(values.seconds);
const chosen = values.scenarios.split(',') as ScenarioName[];
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let waited = 0; waited < 120_000; waited += 200) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const ready = await fetch(url).then((response) => response.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the server did not become ready within 120 s');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

const dataset = await openDataset({ kind: 'postgres', size, seed, postgresUrl: baseUrl, skipLoad: true, log });
const { key } = await createApiKey(dataset.db.prisma, { workspaceId: dataset.workspaceId, name: 'bench workers', role: 'VIEWER' });
const formula = { ...dashboardFormulaKpi, workspaceId: dataset.workspaceId, version: 1 };
await dataset.db.prisma.workspaceKpi.upsert({ where: { workspaceId_key_version: { workspaceId: dataset.workspaceId, key: formula.key, version: 1 } }, create: formula, update: formula });
const periods = benchPeriods();
const all = scenarios(periods);
const bodies = new Map(chosen.map((name) => [name, JSON.stringify({ query: all[name].query, variables: all[name].variables({ db: dataset.db, workspaceId: dataset.workspaceId, periods }) })]));
await dataset.db.close();

const url = new URL(baseUrl);
url.pathname = `/${postgresDatabaseName(size, seed)}`;
const rows: { workers: number; scenario: ScenarioName; load: LoadResult }[] = [];
for (const workers of workerCounts) {
  const port = await freePort();
  log(`serve --workers ${workers} on port ${port}`);
  const child = spawn(process.execPath, ['--max-semi-space-size=64', 'bin/kpigraph.js', 'serve', '--workers', String(workers)], {
    env: {
      ...process.env, DATABASE_URL: url.toString(), PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', DEMO_DATA: 'false', LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0', GOAL_EVENTS: 'false', ROLLUPS: values.rollups, KPI_CACHE: values.cache === 'warm' ? 'true' : 'false', DB_STATEMENT_TIMEOUT_MS: '600000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitReady(`http://127.0.0.1:${port}/ready`, child);
    for (const [scenario, body] of bodies) {
      // Warm every worker: each connection may land on any of them.
      await runLoad(`http://127.0.0.1:${port}/graphql`, key, body, Math.max(2, workers * 2), 2);
      log(`${scenario}: ${connections} connections × ${seconds} s`);
      const load = await runLoad(`http://127.0.0.1:${port}/graphql`, key, body, connections, seconds);
      log(`  ${load.requestsPerSecond} requests/s, p50 ${load.latencyMedianMs} ms, ${load.failures} failures`);
      rows.push({ workers, scenario, load });
    }
  } finally {
    await stop(child);
  }
}

const row = (cells: readonly (string | number)[]): string => `| ${cells.join(' | ')} |`;
const start = '<!-- bench:workers:start -->';
const end = '<!-- bench:workers:end -->';
const block = [
  start,
  '### Throughput with several server processes (`serve --workers N`, PostgreSQL, HTTP)',
  '',
  `PostgreSQL ${size}, rollups ${values.rollups}, cache ${values.cache}, ${connections} connections × ${seconds} s per row; ${cpus().length} cores shared by the workers, PostgreSQL and autocannon; load average ${loadavg()[0]!.toFixed(1)} at the end; ${new Date().toISOString().slice(0, 16)}.`,
  '',
  row(['workers', 'scenario', 'requests/s', 'latency p50 ms', 'p97.5 ms', 'p99 ms', 'failures']),
  row(['---:', '---', '---:', '---:', '---:', '---:', '---:']),
  ...rows.map(({ workers, scenario, load }) => row([workers, scenario, load.requestsPerSecond, load.latencyMedianMs, load.latencyP97_5Ms, load.latencyP99Ms, load.failures])),
  end,
].join('\n');
const file = new URL('./RESULTS.md', import.meta.url).pathname;
const text = await readFile(file, 'utf8');
const at = text.indexOf(start);
const until = text.indexOf(end);
await writeFile(file, at >= 0 && until > at ? `${text.slice(0, at)}${block}${text.slice(until + end.length)}` : `${text.trimEnd()}\n\n${block}\n`);
console.log(block);
