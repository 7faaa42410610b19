/**
 * npm run bench:ops -- [--size tiny|S|M] [--runs N] [--warmup N]
 *
 * What metrics, request logs and traces cost on the dashboard scenario:
 * three servers on the same PGlite dataset, in turns within each round
 * (so that load from elsewhere on a shared machine weighs on all alike),
 * called in-process through `yoga.fetch`:
 *   off      LOG_LEVEL=silent, no METRICS_* and no tracing
 *   on       METRICS_TOKEN set and request lines at info (written to /dev/null)
 *   tracing  as on, plus OpenTelemetry spans exported to a local OTLP sink
 * Each server sees the shared database through a view of its own, whose
 * statement listeners fire only while that server is measured.
 */
import { createServer as createHttpServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createApiKey } from '../src/auth/api-keys.js';
import { loadConfig } from '../src/config.js';
import type { Database, SqlListener } from '../src/db/client.js';
import { createServer } from '../src/server/create-server.js';
import type { KpigraphServer } from '../src/server/create-server.js';
import { createKpiRegistry } from '../src/kpi/kpi-plugins.js';
import { createLogger } from '../src/telemetry/logger.js';
import { startTracing, stopTracing } from '../src/telemetry/tracing.js';
import type { BenchSize } from './dataset.js';
import { openDataset } from './dataset.js';
import { dashboardKpis } from './scenarios.js';
import { summarize } from './stats.js';

const { values } = parseArgs({ options: { size: { type: 'string', default: 'S' }, runs: { type: 'string', default: '150' }, warmup: { type: 'string', default: '10' } } });
const size = values.size as BenchSize;
const runs = Number(values.runs);
const warmup = Number(values.warmup);
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const names = ['off', 'on', 'tracing'] as const;
type Name = (typeof names)[number];
let measured: Name = 'off';

/** The database as one server sees it: its statement listeners fire only while it is measured; closing it leaves the dataset open. */
function viewOf(db: Database, name: Name): Database {
  return {
    ...db,
    onStatement: (listener: SqlListener) => db.onStatement((event) => (measured === name ? listener(event) : undefined)),
    close: async () => undefined,
  };
}

const sink = createHttpServer((request, response) => request.resume().on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}')));
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const address = sink.address();
process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const dataset = await openDataset({ kind: 'pglite', size, seed: 1, log });
const registry = await createKpiRegistry();
const { key } = await createApiKey(dataset.db.prisma, { workspaceId: dataset.workspaceId, name: 'bench ops', role: 'VIEWER' });
const base = { NODE_ENV: 'production', DEMO_DATA: 'false', RATE_LIMIT_PER_MINUTE: '0', DB_STATEMENT_TIMEOUT_MS: '600000' } as const;
const devNull = createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: true }) });
const tracing = await startTracing();
const servers: Record<Name, KpigraphServer> = {
  off: createServer({ db: viewOf(dataset.db, 'off'), registry, config: loadConfig({ ...base, LOG_LEVEL: 'silent' }) }),
  on: createServer({ db: viewOf(dataset.db, 'on'), registry, logger: devNull, config: loadConfig({ ...base, METRICS_TOKEN: 'bench-metrics-token-0123456789' }) }),
  tracing: createServer({ db: viewOf(dataset.db, 'tracing'), registry, logger: devNull, tracing, config: loadConfig({ ...base, METRICS_TOKEN: 'bench-metrics-token-0123456789' }) }),
};
const body = JSON.stringify({
  query: `query Dashboard($keys: [String!]!, $start: DateTime!, $end: DateTime!) {
    kpis(keys: $keys) { key series(range: { start: $start, end: $end }, grain: MONTH, by: TEAM) { start breakdown { key label value { value exact target status } } } }
  }`,
  variables: { keys: dashboardKpis, start: '2025-11-01T00:00:00Z', end: '2026-11-01T00:00:00Z' },
});
/** Wall time and this process's CPU time (PGlite's included: it runs here), in ms. */
interface Sample {
  ms: number;
  cpuMs: number;
}
const dashboard = async (name: Name): Promise<Sample> => {
  measured = name;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const response = await servers[name].yoga.fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
  const answer = (await response.json()) as { errors?: unknown[] };
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (response.status !== 200 || answer.errors) throw new Error(`${name}: ${response.status} ${JSON.stringify(answer.errors)}`);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
};

log(`warm-up: ${warmup} rounds`);
for (let i = 0; i < warmup; i++) for (const name of names) await dashboard(name);
const samples: Record<Name, Sample[]> = { off: [], on: [], tracing: [] };
log(`measuring: ${runs} rounds of ${names.join(', ')} in turns`);
for (let round = 0; round < runs; round++) {
  // Each configuration goes first as often as the others.
  const order = names.map((_, i) => names[(i + round) % names.length]!);
  for (const name of order) samples[name].push(await dashboard(name));
}
const mean = (list: number[]) => list.reduce((sum, ms) => sum + ms, 0) / list.length;
const pct = (value: number, against: number) => `${value >= against ? '+' : ''}${(((value - against) / against) * 100).toFixed(1)} %`;
console.log(`dashboard (12 KPIs x 12 months x team), PGlite ${size}, ${runs} rounds`);
for (const [what, pick] of [['wall', (s: Sample) => s.ms], ['cpu', (s: Sample) => s.cpuMs]] as const) {
  const off = samples.off.map(pick);
  console.log(`${what.padEnd(4)} config    median ms  mean ms  p95 ms  median vs off  mean vs off  median of paired differences`);
  for (const name of names) {
    const list = samples[name].map(pick);
    const summary = summarize(list);
    // Differences within a round cancel the slow spells of a shared machine that hit all three alike.
    const paired = summarize(list.map((value, round) => value - off[round]!)).medianMs;
    console.log(
      `${' '.repeat(5)}${name.padEnd(9)} ${summary.medianMs.toFixed(2).padStart(9)}  ${mean(list).toFixed(2).padStart(7)}  ${summary.p95Ms.toFixed(2).padStart(6)}  ${pct(summary.medianMs, summarize(off).medianMs).padStart(13)}  ${pct(mean(list), mean(off)).padStart(11)}  ${paired.toFixed(2).padStart(8)} ms ${pct(summarize(off).medianMs + paired, summarize(off).medianMs).padStart(8)}`,
    );
  }
}
await stopTracing();
sink.close();
await dataset.db.close();
