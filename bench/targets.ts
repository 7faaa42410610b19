/**
 * The issue's targets, checked against whatever has been measured. A target
 * on a size or database not measured yet is simply not listed.
 */
import type { BenchEntry } from './entry.js';
import type { BenchMode } from './modes.js';
import { entryLabel, modeOf } from './modes.js';

export interface TargetCheck {
  target: string;
  where: string;
  measured: string;
  holds: boolean;
}

const where = entryLabel;
const fixed = (n: number): string => n.toFixed(2);

export function checkTargets(entries: readonly BenchEntry[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const e of entries) {
    const dashboard = e.result.scenarios.find((s) => s.name === 'dashboard' && !s.skipped);
    const single = e.result.scenarios.find((s) => s.name === 'single-kpi' && !s.skipped);
    if (dashboard?.statements && dashboard.reads) {
      const n = dashboard.statements.server;
      checks.push({
        target: 'dashboard statements ≤ distinct measure sources',
        where: where(e),
        measured: `${n} statements; ${dashboard.reads.sources.length} sources (${dashboard.reads.sources.join(', ')}), ${dashboard.reads.measureGroups.length} measure groups`,
        holds: n <= dashboard.reads.sources.length,
      });
    }
    if (dashboard?.statements && dashboard.engine) {
      const naive = dashboard.engine.naive.statements;
      const n = dashboard.statements.server;
      checks.push({ target: 'dashboard statements ≥ 50× fewer than naive', where: where(e), measured: `${naive} ÷ ${n} = ${fixed(naive / n)}×`, holds: naive >= 50 * n });
    }
    if (dashboard?.inProcess && dashboard.floor) {
      const r = dashboard.inProcess.medianMs / dashboard.floor.medianMs;
      const http = dashboard.http ? `; HTTP ${fixed(dashboard.http.medianMs / dashboard.floor.medianMs)}×` : '';
      checks.push({ target: 'dashboard median ≤ 1.5 × floor', where: where(e), measured: `in-process ${fixed(r)}×${http}`, holds: r <= 1.5 });
    }
    if (single?.inProcess && single.floor) {
      const bound = 1.3 * single.floor.medianMs + 5;
      checks.push({
        target: 'single KPI median ≤ 1.3 × floor + 5 ms',
        where: where(e),
        measured: `${fixed(single.inProcess.medianMs)} ms vs bound ${fixed(bound)} ms${single.http ? ` (HTTP ${fixed(single.http.medianMs)} ms)` : ''}`,
        holds: single.inProcess.medianMs <= bound,
      });
    }
  }
  for (const db of ['pglite', 'postgres'] as const) for (const mode of ['rows', 'rollups'] as const) {
    for (const [from, to] of [['S', 'M'], ['M', 'L']] as const) {
      const a = entries.find((e) => e.db === db && e.size === from && modeOf(e) === mode);
      const b = entries.find((e) => e.db === db && e.size === to && modeOf(e) === mode);
      const da = a?.result.scenarios.find((x) => x.name === 'dashboard');
      const db_ = b?.result.scenarios.find((x) => x.name === 'dashboard');
      if (a && b && da?.inProcess && db_?.inProcess) {
        const growth = db_.inProcess.medianMs / da.inProcess.medianMs;
        const rows = (b.rowCounts['Deal']! + b.rowCounts['Customer']!) / (a.rowCounts['Deal']! + a.rowCounts['Customer']!);
        // Rollups answer from days, not rows: their dashboard must not grow with the rows at all (L within 1.5× of M).
        if (mode === 'rollups' && from === 'M') checks.push({ target: `dashboard from rollups ${from} → ${to} ≤ 1.5×`, where: `${db} · ${mode}`, measured: `time ${fixed(growth)}× for ${fixed(rows)}× the rows`, holds: growth <= 1.5 });
        else checks.push({ target: `dashboard growth ${from} → ${to} ≤ growth of rows scanned`, where: `${db} · ${mode}`, measured: `time ${fixed(growth)}× vs rows ${fixed(rows)}×`, holds: growth <= rows });
      }
    }
  }
  for (const e of entries) {
    const dashboard = e.result.scenarios.find((s) => s.name === 'dashboard' && s.inProcess);
    if (!dashboard?.inProcess) continue;
    const mode: BenchMode = modeOf(e);
    if (mode === 'rollups' && e.size === 'L' && dashboard.floor) {
      const r = dashboard.inProcess.medianMs / dashboard.floor.medianMs;
      checks.push({ target: 'dashboard from rollups, cache cold ≤ 0.1 × the raw floor', where: where(e), measured: `${fixed(r)}×`, holds: r <= 0.1 });
    }
    if (mode === 'rollups, warm cache' || mode === 'rollups, answers cached') {
      checks.push({ target: 'dashboard with the cache warm ≤ 20 ms', where: where(e), measured: `${fixed(dashboard.inProcess.medianMs)} ms`, holds: dashboard.inProcess.medianMs <= 20 });
    }
  }
  const liteM = entries.find((e) => e.db === 'pglite' && e.size === 'M' && modeOf(e) === 'rows')?.result.scenarios.find((x) => x.name === 'dashboard');
  const pgM = entries.find((e) => e.db === 'postgres' && e.size === 'M' && modeOf(e) === 'rows')?.result.scenarios.find((x) => x.name === 'dashboard');
  if (liteM?.inProcess && pgM?.inProcess) {
    const r = liteM.inProcess.medianMs / pgM.inProcess.medianMs;
    checks.push({ target: 'PGlite ≤ 3 × PostgreSQL, dashboard at M', where: 'M', measured: `${fixed(r)}×`, holds: r <= 3 });
  }
  return checks;
}
