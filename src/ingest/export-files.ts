/**
 * Export to files: a folder of `<type>.csv` files (the names import reads
 * the type from), one CSV file or stream for a single type, or one NDJSON
 * file or stream. Writes wait for the stream to drain, so memory holds one
 * page whatever the workspace's size.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Database } from '../db/client.js';
import { csvColumns, csvLine, exportRecords, ndjsonLine } from './export.js';
import type { RecordType } from './record-types.js';
import { recordSpecs } from './record-types.js';

export type ExportTarget =
  | { format: 'csv'; folder: string }
  | { format: 'csv' | 'ndjson'; file: string }
  | { format: 'csv' | 'ndjson'; stream: Writable };

export async function writeChunk(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
}

async function end(stream: Writable): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(resolve);
  });
}

/** Writes the workspace's records of `types` (in that order) to `target`; returns counts per type. */
export async function exportToFiles(
  db: Database,
  workspaceId: number,
  types: readonly RecordType[],
  target: ExportTarget,
): Promise<Record<string, number>> {
  if ('folder' in target) await mkdir(target.folder, { recursive: true });
  if (target.format === 'csv' && !('folder' in target) && types.length !== 1) {
    throw new Error('A CSV export of several types needs a folder (one file per type).');
  }
  const owned = 'file' in target;
  const shared: Writable | null = 'stream' in target ? target.stream : 'file' in target ? createWriteStream(target.file) : null;
  let current: Writable | null = shared;
  try {
    return await exportRecords(db, {
      workspaceId,
      types,
      async onTypeStart(type) {
        if (target.format !== 'csv') return;
        if ('folder' in target) current = createWriteStream(path.join(target.folder, `${recordSpecs[type].plural}.csv`));
        await writeChunk(current!, csvLine(csvColumns(type)));
      },
      async onPage(type, rows) {
        if (target.format === 'csv') {
          const columns = csvColumns(type);
          await writeChunk(current!, rows.map((row) => csvLine(columns.map((column) => row[column]))).join(''));
        } else {
          await writeChunk(current!, rows.map((row) => ndjsonLine(type, row)).join(''));
        }
      },
      async onTypeEnd() {
        if ('folder' in target && current) await end(current);
      },
    });
  } finally {
    if (owned && shared) await end(shared);
  }
}
