import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { ExportTarget } from '../ingest/export-files.js';
import { exportToFiles } from '../ingest/export-files.js';
import type { RecordType } from '../ingest/record-types.js';
import { recordSpecs, recordTypeNames, recordTypeOf, recordTypes } from '../ingest/record-types.js';
import { openConfiguredDatabase } from './open-database.js';
import { UsageError, exitCodes } from './usage-error.js';

export const exportUsage = `kpigraph export [--type TYPE…] [--format csv|ndjson] [--out DIR|FILE] [--workspace ID]
                             write records as CSV files (one per type, into DIR) or NDJSON (one FILE, or stdout)`;

function parseTypes(values: readonly string[] | undefined): RecordType[] {
  if (!values || values.length === 0) return [...recordTypes];
  const wanted = new Set<RecordType>();
  for (const name of values.flatMap((value) => value.split(','))) {
    const type = recordTypeOf(name);
    if (!type) throw new UsageError(`--type must be among ${recordTypeNames}; got ${name}.`);
    wanted.add(type);
  }
  // Dependency order, so that the files import in any order and NDJSON in one pass.
  return recordTypes.filter((type) => wanted.has(type));
}

const isDirectory = async (target: string): Promise<boolean> => (await stat(target).catch(() => null))?.isDirectory() ?? false;

export async function exportCommand(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      type: { type: 'string', multiple: true },
      format: { type: 'string' },
      out: { type: 'string' },
      workspace: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(exportUsage);
    return exitCodes.ok;
  }
  const types = parseTypes(values.type);
  const out = values.out;
  const format = values.format ?? (out && /\.(ndjson|jsonl)$/i.test(out) ? 'ndjson' : 'csv');
  if (format !== 'csv' && format !== 'ndjson') throw new UsageError(`--format must be csv or ndjson; got ${format}.`);
  const workspaceId = Number(values.workspace ?? config.DEFAULT_WORKSPACE_ID);
  if (!Number.isSafeInteger(workspaceId) || workspaceId < 1) throw new UsageError(`--workspace must be a positive whole number; got ${values.workspace}.`);

  // CSV: a folder of <type>.csv files, or one file (or stdout) for one type.
  let csvFolder: string | null = null;
  if (format === 'csv') {
    const oneFile = out !== undefined && out.toLowerCase().endsWith('.csv') && !(await isDirectory(out));
    if (types.length > 1 && (out === undefined || oneFile)) {
      throw new UsageError('CSV export of several types writes one file per type: give --out DIR (or --type TYPE, or --format ndjson).');
    }
    if (out !== undefined && !oneFile) {
      csvFolder = out;
      await mkdir(csvFolder, { recursive: true });
    }
  }
  let ndjsonTarget: string | undefined = out;
  if (format === 'ndjson' && out !== undefined && (await isDirectory(out))) ndjsonTarget = path.join(out, 'export.ndjson');

  const target: ExportTarget =
    csvFolder !== null
      ? { format: 'csv', folder: csvFolder }
      : format === 'csv'
        ? out === undefined ? { format, stream: process.stdout } : { format, file: out }
        : ndjsonTarget === undefined ? { format: 'ndjson', stream: process.stdout } : { format: 'ndjson', file: ndjsonTarget };
  const db = await openConfiguredDatabase(config);
  try {
    const counts = await exportToFiles(db, workspaceId, types, target);
    const where = csvFolder ?? ndjsonTarget ?? out ?? 'stdout';
    const summary = types.map((type) => `${recordSpecs[type].plural} ${counts[type] ?? 0}`).join(', ');
    console.error(`Exported workspace ${workspaceId} to ${where} (${format}): ${summary}.`);
    return exitCodes.ok;
  } finally {
    await db.close();
  }
}
