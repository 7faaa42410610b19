import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInPlugins } from '../../plugins/index.js';
import type { Database } from '../../src/db/client.js';
import { loadDemoData } from '../../src/db/demo/index.js';
import { exportToFiles } from '../../src/ingest/export-files.js';
import { recordTypes } from '../../src/ingest/record-types.js';
import { createKpiLoader } from '../../src/kpi/engine.js';
import { createRegistry } from '../../src/kpi/registry.js';
import type { TimeRange } from '../../src/kpi/types.js';
import { createTestDatabase } from '../support/database.js';
import { counts, createWorkspace, importFiles, tempDir } from './helpers.js';

const now = new Date('2025-06-15T12:00:00.000Z');
const timeZone = 'Europe/Berlin';
const periods: Record<string, TimeRange> = {
  'May 2025': { start: new Date('2025-04-30T22:00:00Z'), end: new Date('2025-05-31T22:00:00Z') },
  'Q1 2025': { start: new Date('2024-12-31T23:00:00Z'), end: new Date('2025-03-31T22:00:00Z') },
  '2024': { start: new Date('2023-12-31T23:00:00Z'), end: new Date('2024-12-31T23:00:00Z') },
};

/** Every built-in KPI over every period, as exact text (values, null reasons or errors). */
async function allKpis(db: Database, workspaceId: number): Promise<Record<string, string>> {
  const registry = createRegistry(builtInPlugins);
  const loader = createKpiLoader({ db, workspaceId, timeZone, registry });
  const cells = registry.list().flatMap((definition) => Object.entries(periods).map(([label, period]) => ({ label, kpiKey: definition.key, period })));
  const settled = await Promise.allSettled(cells.map((cell) => loader.load({ kpiKey: cell.kpiKey, period: cell.period })));
  return Object.fromEntries(
    settled.map((outcome, index) => {
      const cell = cells[index]!;
      const text =
        outcome.status === 'rejected'
          ? `error: ${String(outcome.reason)}`
          : [...outcome.value.entries()].map(([key, result]) => `${key}=${result.value?.toString() ?? 'null'}${result.reason ? ` (${result.reason.code})` : ''}`).join(', ');
      return [`${cell.kpiKey} @ ${cell.label}`, text];
    }),
  );
}

/** Per table: row count and the newest transaction id among the workspace's rows. */
async function rowVersions(db: Database, workspaceId: number): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of ['Team', 'User', 'Campaign', 'Customer', 'Deal', 'DealStageEvent', 'Activity', 'Payment', 'SurveyResponse', 'Ticket', 'Spend', 'LedgerEntry']) {
    const { rows } = await db.query<{ v: string }>(`SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) AS v FROM "${table}" WHERE "workspaceId" = $1`, [workspaceId]);
    out[table] = rows[0]!.v;
  }
  return out;
}

describe('export, wipe, import', () => {
  let db: Database;
  let folder: Awaited<ReturnType<typeof tempDir>>;
  let before: Record<string, string>;
  let files: string[];
  let copy: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    folder = await tempDir();
    const demo = await loadDemoData(db, { deals: 300, now, timeZone, seed: 7 });
    before = await allKpis(db, demo.workspaceId);
    await exportToFiles(db, demo.workspaceId, recordTypes, { format: 'csv', folder: folder.dir });
    files = (await readdir(folder.dir)).map((name) => path.join(folder.dir, name));
    await db.query('DELETE FROM "Workspace" WHERE id = $1', [demo.workspaceId]);
    copy = await createWorkspace(db, timeZone, 'Restored');
  }, 120_000);

  afterAll(async () => {
    await folder?.remove();
    await db?.close();
  });

  it('reproduces every KPI value of the demo data exactly', async () => {
    const report = await importFiles(db, files, { workspaceId: copy });
    expect(report.committed).toBe(true);
    expect(report.rejections).toEqual([]);
    for (const summary of report.types) expect(summary.inserted, summary.type).toBe(summary.rows);
    expect(report.types.find((s) => s.type === 'deal')?.rows).toBe(300);
    // Real values, not a comparison of empty results.
    expect(Object.values(before).filter((text) => /=\d/.test(text) && !text.startsWith('error')).length).toBeGreaterThan(50);
    expect(await allKpis(db, copy)).toEqual(before);
  });

  it('re-importing the same files changes nothing and says so', async () => {
    const stamp = await rowVersions(db, copy);
    const report = await importFiles(db, files, { workspaceId: copy });
    expect(report.committed).toBe(true);
    for (const [type, summary] of Object.entries(counts(report))) {
      expect({ type, inserted: summary.inserted, updated: summary.updated, unchanged: summary.unchanged }).toEqual({ type, inserted: 0, updated: 0, unchanged: summary.rows });
    }
    expect(report.derivedStageEvents).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    // No row was rewritten: every row keeps the transaction id that wrote it.
    expect(await rowVersions(db, copy)).toEqual(stamp);
    expect(await allKpis(db, copy)).toEqual(before);
  });

  it('exports the restored workspace to the same files, external IDs included', async () => {
    const again = await tempDir();
    try {
      await exportToFiles(db, copy, recordTypes, { format: 'csv', folder: again.dir });
      const { readFile } = await import('node:fs/promises');
      for (const file of files) {
        expect(await readFile(path.join(again.dir, path.basename(file)), 'utf8'), path.basename(file)).toBe(await readFile(file, 'utf8'));
      }
    } finally {
      await again.remove();
    }
  });
});
