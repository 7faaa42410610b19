/**
 * bench/results.json (every size and database measured so far, newest run
 * of each kept) and the tables of bench/RESULTS.md. Hand-written findings in
 * RESULTS.md outside the generated block survive a new run.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { BenchSize } from './dataset.js';
import type { BenchMode } from './modes.js';
import { dataset, entryKey, entryLabel, modeOf } from './modes.js';
import type { BenchEntry, BenchResults } from './entry.js';
import type { ScenarioResult } from './harness.js';
import type { MachineInfo } from './machine.js';
import { scenarioNames } from './scenarios.js';
import { checkTargets } from './targets.js';

const sizeOrder: readonly BenchSize[] = ['tiny', 'S', 'M', 'L'];
const byOrder = (a: BenchEntry, b: BenchEntry): number => sizeOrder.indexOf(a.size) - sizeOrder.indexOf(b.size) || a.db.localeCompare(b.db);

/** Merges a run's entries into the file's, replacing the same database, size and seed. */
export async function saveResults(file: string, machine: MachineInfo, entries: BenchEntry[]): Promise<BenchResults> {
  let previous: BenchEntry[] = [];
  let before: MachineInfo | undefined;
  try {
    ({ entries: previous, machine: before } = JSON.parse(await readFile(file, 'utf8')) as BenchResults);
  } catch {
    // No earlier results: start afresh.
  }
  // A run on one database leaves the other's version as measured before.
  machine = { ...machine, postgres: machine.postgres ?? before?.postgres ?? null, pglitePostgres: machine.pglitePostgres ?? before?.pglitePostgres ?? null };
  const key = entryKey;
  const merged = entries.map((entry) => {
    // A run of some scenarios keeps the earlier results of the others.
    const before = previous.find((e) => key(e) === key(entry));
    if (!before) return entry;
    const names = new Set(entry.result.scenarios.map((s) => s.name));
    const scenarios = [...before.result.scenarios.filter((s) => !names.has(s.name)), ...entry.result.scenarios];
    const byPhaseMb = { ...before.result.memory.byPhaseMb, ...entry.result.memory.byPhaseMb };
    const memory = { byPhaseMb, peakMb: Math.max(0, ...Object.values(byPhaseMb)) };
    return { ...entry, result: { scenarios: scenarios.sort((a, b) => scenarioNames.indexOf(a.name) - scenarioNames.indexOf(b.name)), memory } };
  });
  const fresh = new Set(entries.map(key));
  const results = { machine, entries: [...previous.filter((e) => !fresh.has(key(e))), ...merged].sort(byOrder) };
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return results;
}

const ms = (value: number | undefined): string => (value === undefined || Number.isNaN(value) ? '—' : value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US'));
const times = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : `${value.toFixed(2)}×`);
const label = entryLabel;
const row = (cells: readonly (string | number)[]): string => `| ${cells.join(' | ')} |`;

function scenarioRows(e: BenchEntry): string[] {
  return e.result.scenarios.map((s: ScenarioResult) => {
    if (s.skipped) return row([label(e), s.name, `skipped: ${s.skipped}`, '', '', '', '', '', '']);
    return row([
      label(e),
      s.name,
      s.agreement?.agree ? `yes (${s.agreement.cells} values)` : `**NO** ${s.agreement?.mismatches[0] ?? ''}`,
      `${s.statements?.server ?? '—'} / ${s.statements?.floor ?? '—'}`,
      `${ms(s.inProcess?.medianMs)} / ${ms(s.inProcess?.p95Ms)}`,
      `${ms(s.http?.medianMs)} / ${ms(s.http?.p95Ms)}`,
      `${ms(s.floor?.medianMs)} / ${ms(s.floor?.p95Ms)}`,
      times(s.ratio?.inProcess),
      times(s.ratio?.http),
    ]);
  });
}

function entryTables(entries: readonly BenchEntry[]): string[] {
  const lines = [
    '### Latency per request (ms, median / p95) and SQL statements',
    '',
    row(['database', 'scenario', 'server = floor?', 'statements server / floor', 'server in-process', 'server HTTP', 'floor', 'ratio in-process', 'ratio HTTP']),
    row(['---', '---', '---', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...entries.flatMap(scenarioRows),
    '',
    '### What batching buys: the dashboard\'s cells through the engine alone (no GraphQL)',
    '',
    row(['database', 'cells (KPI × month)', 'values', 'batched: statements', 'batched: median ms', 'unbatched: statements', 'unbatched: median ms', 'statements saved', 'time saved']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  for (const e of entries) {
    const engine = e.result.scenarios.find((s) => s.engine)?.engine;
    if (!engine) continue;
    lines.push(row([label(e), engine.batched.cells, engine.batched.groups, engine.batched.statements, ms(engine.batched.timing.medianMs), engine.naive.statements, ms(engine.naive.timing.medianMs), times(engine.statementRatio), times(engine.timeRatio)]));
  }
  lines.push('', '### Throughput under concurrency (autocannon, HTTP)', '', row(['database', 'scenario', 'connections', 'requests/s', 'latency p50 ms', 'p97.5 ms', 'p99 ms', 'failures']), row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const e of entries) {
    for (const s of e.result.scenarios) {
      for (const l of s.load ?? []) lines.push(row([label(e), s.name, l.connections, l.requestsPerSecond, l.latencyMedianMs, l.latencyP97_5Ms, l.latencyP99Ms, l.failures]));
    }
  }
  lines.push('', '### Peak memory of the server process (RSS, MB)', '', row(['database', 'peak', 'by phase']), row(['---', '---:', '---']));
  for (const e of entries) {
    const phases = Object.entries(e.result.memory.byPhaseMb).map(([name, mb]) => `${name} ${mb}`).join(', ');
    lines.push(row([label(e), e.result.memory.peakMb, phases]));
  }
  return lines;
}

function pairTables(entries: readonly BenchEntry[]): string[] {
  const lines = ['', '### PGlite ÷ PostgreSQL (in-process server median)', '', row(['size', 'scenario', 'PGlite ms', 'PostgreSQL ms', 'ratio']), row(['---', '---', '---:', '---:', '---:'])];
  for (const size of sizeOrder) {
    for (const mode of modes) {
    const lite = entries.find((e) => e.size === size && e.db === 'pglite' && modeOf(e) === mode);
    const pg = entries.find((e) => e.size === size && e.db === 'postgres' && modeOf(e) === mode);
    if (!lite || !pg) continue;
    for (const s of lite.result.scenarios) {
      const other = pg.result.scenarios.find((p) => p.name === s.name);
      if (!s.inProcess || !other?.inProcess) continue;
      lines.push(row([`${size} · ${mode}`, s.name, ms(s.inProcess.medianMs), ms(other.inProcess.medianMs), times(s.inProcess.medianMs / other.inProcess.medianMs)]));
    }
    }
  }
  lines.push('', '### Growth with size (in-process server median, and the floor, against rows)', '', row(['database', 'from → to', 'scenario', 'server growth', 'floor growth', 'deals growth', 'customers growth']), row(['---', '---', '---', '---:', '---:', '---:', '---:']));
  for (const db of ['pglite', 'postgres'] as const) for (const mode of modes) {
    const list = entries.filter((e) => e.db === db && e.size !== 'tiny' && modeOf(e) === mode);
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1]!, list[i]!];
      for (const s of b.result.scenarios) {
        const before = a.result.scenarios.find((p) => p.name === s.name);
        if (!s.inProcess || !before?.inProcess || !s.floor || !before.floor) continue;
        lines.push(row([`${db} · ${mode}`, `${a.size} → ${b.size}`, s.name, times(s.inProcess.medianMs / before.inProcess.medianMs), times(s.floor.medianMs / before.floor.medianMs), times((b.rowCounts['Deal'] ?? 0) / (a.rowCounts['Deal'] ?? 1)), times((b.rowCounts['Customer'] ?? 0) / (a.rowCounts['Customer'] ?? 1))]));
      }
    }
  }
  return lines;
}

const modes: readonly BenchMode[] = ['rows', 'rollups', 'rollups, warm cache', 'rollups, answers cached'];

/** The dashboard of each dataset in every mode measured, against the floor (which always reads the rows). */
function modeTable(entries: readonly BenchEntry[]): string[] {
  const lines = ['', '### The dashboard from rows, from rollups, with computed cells cached (warm cache) and with whole answers cached (in-process server median, ms)', '', row(['database', ...modes.map((mode) => `${mode}`), 'floor (rows)', 'rollups ÷ floor', 'warm ÷ floor']), row(['---', ...modes.map(() => '---:'), '---:', '---:', '---:'])];
  const datasets = [...new Set(entries.map(dataset))];
  for (const name of datasets) {
    const dashboards = new Map(entries.filter((e) => dataset(e) === name).map((e) => [modeOf(e), e.result.scenarios.find((s) => s.name === 'dashboard' && s.inProcess)]));
    if (![...dashboards.values()].some(Boolean)) continue;
    const floor = [...dashboards.values()].map((s) => s?.floor?.medianMs).find((f) => f !== undefined);
    const of = (mode: BenchMode) => dashboards.get(mode)?.inProcess?.medianMs;
    const over = (value: number | undefined) => (value === undefined || floor === undefined ? null : value / floor);
    lines.push(row([name, ...modes.map((mode) => ms(of(mode))), ms(floor), times(over(of('rollups'))), times(over(of('rollups, warm cache'))) ]));
  }
  return lines;
}

const startMarker = '<!-- bench:generated:start -->';
const endMarker = '<!-- bench:generated:end -->';

export function renderTables(results: BenchResults): string {
  const m = results.machine;
  const entries = results.entries;
  return [
    startMarker,
    '## Measured',
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB; Node ${m.node}; PostgreSQL ${m.postgres ?? '—'}; PGlite ${m.pglite} (PostgreSQL ${m.pglitePostgres ?? '—'} inside); last run ${m.date}, load average ${m.loadAverage ?? '—'} at its end.`,
    '',
    row(['database', 'location', 'deals', 'customers', 'stage events', 'activities', 'loaded in', 'runs', 'measured']),
    row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---']),
    ...entries.map((e) => row([label(e), e.location, (e.rowCounts['Deal'] ?? 0).toLocaleString('en-US'), (e.rowCounts['Customer'] ?? 0).toLocaleString('en-US'), (e.rowCounts['DealStageEvent'] ?? 0).toLocaleString('en-US'), (e.rowCounts['Activity'] ?? 0).toLocaleString('en-US'), e.loadSeconds === null ? 'cached' : `${Math.round(e.loadSeconds)} s`, `${e.options.runs} (+${e.options.warmup} warm-up)${e.options.pgJit === undefined ? '' : `, jit ${e.options.pgJit ? 'on' : 'off'}`}`, e.measuredAt.slice(0, 16)])),
    '',
    ...entryTables(entries),
    ...pairTables(entries),
    ...modeTable(entries),
    '',
    '### Targets',
    '',
    row(['target', 'where', 'measured', 'holds']),
    row(['---', '---', '---', '---']),
    ...checkTargets(entries).map((t) => row([t.target, t.where, t.measured, t.holds ? 'yes' : '**no**'])),
    endMarker,
  ].join('\n');
}

/** Rewrites the generated block of RESULTS.md, keeping the text around it. */
export async function writeMarkdown(file: string, results: BenchResults): Promise<void> {
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = `# Benchmark results\n\nWritten by \`npm run bench\` (see bench/README.md); the block between the markers is regenerated on every run.\n\n${startMarker}\n${endMarker}\n`;
  }
  const start = text.indexOf(startMarker);
  const end = text.indexOf(endMarker);
  const block = renderTables(results);
  const next = start >= 0 && end > start ? `${text.slice(0, start)}${block}${text.slice(end + endMarker.length)}` : `${text.trimEnd()}\n\n${block}\n`;
  await writeFile(file, next);
}
