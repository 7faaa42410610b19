/**
 * npm run bench -- [--size tiny|S|M|L] [--db pglite|postgres|both] [--runs N]
 *   [--scenarios dashboard,single-kpi,goals-page,deals-page] [--skip-load]
 *   [--seed N] [--warmup N] [--naive-runs N] [--concurrency 1,10,50]
 *   [--load-seconds N] [--no-http] [--pg-jit on|off] [--rollups on|off] [--cache cold|warm|answers]
 *
 * Loads (or reuses) the demo data, runs the scenarios on each database, and
 * writes bench/results.json and the tables of bench/RESULTS.md.
 */
import { parseArgs } from 'node:util';
import type { BenchDbKind, BenchSize } from './dataset.js';
import { openDataset } from './dataset.js';
import { runHarness } from './harness.js';
import { machineInfo, serverVersion } from './machine.js';
import type { BenchEntry } from './entry.js';
import { saveResults, writeMarkdown } from './report.js';
import type { ScenarioName } from './scenarios.js';
import { scenarioNames } from './scenarios.js';

const sizes: readonly BenchSize[] = ['tiny', 'S', 'M', 'L'];

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) fail(`--${name} must be a whole number, got ${value}`);
  return n;
}

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'S' },
    db: { type: 'string' },
    runs: { type: 'string' },
    scenarios: { type: 'string' },
    'skip-load': { type: 'boolean', default: false },
    seed: { type: 'string' },
    warmup: { type: 'string' },
    'naive-runs': { type: 'string' },
    concurrency: { type: 'string' },
    'load-seconds': { type: 'string' },
    'no-http': { type: 'boolean', default: false },
    'pg-jit': { type: 'string', default: 'off' },
    rollups: { type: 'string', default: 'on' },
    cache: { type: 'string', default: 'cold' },
  },
  strict: true,
});

const size = values.size as BenchSize;
if (!sizes.includes(size)) fail(`--size must be one of ${sizes.join(', ')}`);
const postgresUrl = process.env['DATABASE_URL'];
const dbChoice = values.db ?? (postgresUrl ? 'both' : 'pglite');
if (!['pglite', 'postgres', 'both'].includes(dbChoice)) fail('--db must be pglite, postgres or both');
let kinds: BenchDbKind[] = dbChoice === 'both' ? ['pglite', 'postgres'] : [dbChoice as BenchDbKind];
if (kinds.includes('postgres') && !postgresUrl) {
  if (dbChoice === 'postgres') fail('--db postgres needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
  kinds = kinds.filter((k) => k !== 'postgres');
}
if (size === 'L' && kinds.includes('pglite')) {
  console.error('bench: L runs on PostgreSQL only; skipping PGlite');
  kinds = kinds.filter((k) => k !== 'pglite');
}
const chosen = (values.scenarios?.split(',').map((s) => s.trim()).filter(Boolean) ?? [...scenarioNames]) as ScenarioName[];
for (const name of chosen) if (!scenarioNames.includes(name)) fail(`unknown scenario ${name}; choose from ${scenarioNames.join(', ')}`);
const runs = positive(values.runs, 30, 'runs');
const options = {
  scenarios: chosen,
  runs: Math.max(1, runs),
  warmup: positive(values.warmup, 3, 'warmup'),
  naiveRuns: Math.max(1, positive(values['naive-runs'], 3, 'naive-runs')),
  http: !values['no-http'],
  concurrency: values.concurrency === undefined ? [1, 10, 50] : values.concurrency.split(',').filter(Boolean).map((c) => positive(c, 1, 'concurrency')).filter((c) => c > 0),
  loadSeconds: Math.max(1, positive(values['load-seconds'], 10, 'load-seconds')),
  rollups: values.rollups === 'on',
  cache: values.cache as 'cold' | 'warm' | 'answers',
  log: (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
};
const seed = positive(values.seed, 1, 'seed');
if (!['on', 'off'].includes(values['pg-jit'])) fail('--pg-jit must be on or off');
if (!['on', 'off'].includes(values.rollups)) fail('--rollups must be on or off');
if (!['cold', 'warm', 'answers'].includes(values.cache)) fail('--cache must be cold, warm or answers');
const pgJit = values['pg-jit'] === 'on';

const entries: BenchEntry[] = [];
const versions: { postgres: string | null; pglitePostgres: string | null } = { postgres: null, pglitePostgres: null };
for (const kind of kinds) {
  options.log(`${kind} ${size}: opening the dataset`);
  const dataset = await openDataset({ kind, size, seed, postgresUrl, skipLoad: values['skip-load'], pgJit, log: options.log });
  try {
    versions[kind === 'postgres' ? 'postgres' : 'pglitePostgres'] = await serverVersion(dataset.db);
    const result = await runHarness(dataset, options);
    entries.push({
      db: kind,
      size,
      seed,
      location: dataset.location,
      rowCounts: dataset.rowCounts,
      loadSeconds: dataset.loadSeconds,
      measuredAt: new Date().toISOString(),
      options: { runs: options.runs, warmup: options.warmup, concurrency: options.concurrency, loadSeconds: options.loadSeconds, rollups: options.rollups, cache: options.cache, ...(kind === 'postgres' ? { pgJit } : {}) },
      result,
    });
  } finally {
    await dataset.db.close();
  }
}

const resultsFile = new URL('./results.json', import.meta.url).pathname;
const results = await saveResults(resultsFile, await machineInfo(versions), entries);
await writeMarkdown(new URL('./RESULTS.md', import.meta.url).pathname, results);
for (const entry of entries) {
  for (const s of entry.result.scenarios) {
    const agree = s.skipped ? `skipped (${s.skipped})` : s.agreement?.agree ? 'agrees' : 'DISAGREES';
    console.log(`${entry.db} ${entry.size} ${s.name.padEnd(10)} ${agree}; statements ${s.statements?.server ?? '-'} vs ${s.statements?.floor ?? '-'}; median ${s.inProcess?.medianMs ?? '-'} ms vs floor ${s.floor?.medianMs ?? '-'} ms`);
  }
}
console.log('Wrote bench/results.json and bench/RESULTS.md');
if (entries.some((e) => e.result.scenarios.some((s) => s.agreement && !s.agreement.agree))) process.exitCode = 1;
