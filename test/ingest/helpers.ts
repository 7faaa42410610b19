import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '../../src/db/client.js';
import type { FileInput } from '../../src/ingest/file-feed.js';
import { filesFeed, formatOf, typeOfFileName } from '../../src/ingest/file-feed.js';
import type { ImportOptions } from '../../src/ingest/importer.js';
import { importRecords } from '../../src/ingest/importer.js';
import type { ImportReport, TypeSummary } from '../../src/ingest/report.js';

export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kpigraph-ingest-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function createWorkspace(db: Database, timeZone = 'UTC', name = 'Import target'): Promise<number> {
  const { rows } = await db.query<{ id: number }>('INSERT INTO "Workspace" (name, "timeZone") VALUES ($1, $2) RETURNING id', [name, timeZone]);
  return rows[0]!.id;
}

/** Writes files (name → content) into `dir` and returns their paths. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string[]> {
  return Promise.all(
    Object.entries(files).map(async ([name, content]) => {
      const file = path.join(dir, name);
      await writeFile(file, content);
      return file;
    }),
  );
}

/** Imports files the way the command line does (type from the file name). */
export function importFiles(db: Database, files: readonly string[], options: ImportOptions): Promise<ImportReport> {
  const inputs: FileInput[] = files.map((file) => {
    const type = typeOfFileName(file);
    return { file, format: formatOf(file)!, ...(type ? { type } : {}) };
  });
  return importRecords(db, options, filesFeed(inputs));
}

/** The non-empty summaries by type, for compact assertions. */
export function counts(report: ImportReport): Record<string, Omit<TypeSummary, 'type'>> {
  return Object.fromEntries(report.types.filter((s) => s.rows > 0).map(({ type, ...rest }) => [type, rest]));
}

export function csv(header: string, rows: readonly string[]): string {
  return `${header}\n${rows.join('\n')}\n`;
}
