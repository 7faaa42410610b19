import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { applyMigrations } from '../db/migrate.js';
import type { FileInput } from '../ingest/file-feed.js';
import { BulkLoadError } from '../ingest/bulk-indexes.js';
import { FileFormatError, filesFeed, formatOf, typeOfFileName } from '../ingest/file-feed.js';
import { WorkspaceNotFoundError, importRecords } from '../ingest/importer.js';
import type { RecordType } from '../ingest/record-types.js';
import { recordTypeNames, recordTypeOf, recordTypes } from '../ingest/record-types.js';
import type { ImportReport } from '../ingest/report.js';
import { formatReport } from '../ingest/report.js';
import { ImportConflictError } from '../ingest/upsert.js';
import { describeDatabase, openConfiguredDatabase } from './open-database.js';
import type { Progress } from './progress.js';
import { createProgress } from './progress.js';
import { importRemote } from './remote-import.js';
import { UsageError, exitCodes } from './usage-error.js';

export const importUsage = `kpigraph import FILE… [--type TYPE] [--dry-run] [--skip-invalid] [--workspace ID] [--bulk | --no-bulk] [--url URL --api-key KEY]
                             import CSV (one type per file, named like deals.csv) or NDJSON (a "type" per line);
                             --bulk rebuilds the written tables' indexes after the load (locks them until it commits),
                             by default only for tables that hold fewer rows than the import adds; --no-bulk never`;

function positiveId(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`${flag} must be a positive whole number; got ${value}.`);
  return id;
}

/** Which type and format each file holds, from --type, the extension and the name. */
async function fileInputs(files: readonly string[], typeFlag: string | undefined): Promise<FileInput[]> {
  if (files.length === 0) throw new UsageError('Name at least one file to import, e.g. kpigraph import customers.csv deals.csv --workspace 1');
  const given = typeFlag === undefined ? undefined : recordTypeOf(typeFlag);
  if (typeFlag !== undefined && !given) throw new UsageError(`--type must be one of ${recordTypeNames}; got ${typeFlag}.`);
  const inputs: FileInput[] = [];
  for (const file of files) {
    const format = formatOf(file);
    if (!format) throw new UsageError(`${file}: unknown format; use .csv or .ndjson (.jsonl).`);
    await access(file).catch(() => {
      throw new UsageError(`${file}: no such file.`);
    });
    const type: RecordType | undefined = given ?? typeOfFileName(file);
    if (format === 'csv' && !type) {
      throw new UsageError(`${file}: cannot tell the record type from the file name; name it after the type (${recordTypeNames}) or give --type.`);
    }
    inputs.push({ file, format, ...(type ? { type } : {}) });
  }
  // Referenced types first: only the API path depends on it (each request
  // commits on its own), but progress reads better in this order too.
  const rank = (input: FileInput) => (input.format === 'csv' && input.type ? recordTypes.indexOf(input.type) : recordTypes.length);
  return inputs.sort((a, b) => rank(a) - rank(b));
}

/** A fresh bar per phase, so each shows its own rate; the checks and index builds get a line of their own. */
function phasedProgress(): Progress {
  let phase = '';
  let current: Progress | null = null;
  return {
    update(done, total, name) {
      if (name !== phase) {
        current?.finish();
        phase = name;
        current = name === 'checking' || name === 'indexing' ? null : createProgress(process.stderr, 'rows');
        if (name === 'checking') process.stderr.write('checking references, duplicates and stage histories…\n');
        if (name === 'indexing') process.stderr.write(`bulk load: building ${total} indexes again (the table is locked until the import commits)…\n`);
      }
      current?.update(done, total, name);
    },
    finish: () => current?.finish(),
  };
}

export async function importCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      type: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'skip-invalid': { type: 'boolean', default: false },
      bulk: { type: 'boolean', default: false },
      'no-bulk': { type: 'boolean', default: false },
      workspace: { type: 'string' },
      url: { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(importUsage);
    return exitCodes.ok;
  }
  const inputs = await fileInputs(positionals, values.type);
  const dryRun = values['dry-run'] ?? false;
  const skipInvalid = values['skip-invalid'] ?? false;
  const workspaceId = positiveId(values.workspace, '--workspace');
  if (values.bulk && values['no-bulk']) throw new UsageError('--bulk and --no-bulk contradict each other; give one of them.');
  const bulkIndexes = values.bulk ? 'always' : values['no-bulk'] ? 'never' : 'auto';
  const progress = phasedProgress();
  let report: ImportReport;
  try {
    if (values.url !== undefined || values['api-key'] !== undefined) {
      if (!values.url || !values['api-key']) throw new UsageError('--url and --api-key go together: the key names the workspace.');
      if (workspaceId !== undefined) throw new UsageError('--workspace is for a direct import; through the API the key names the workspace.');
      if (values.bulk) throw new UsageError('--bulk is for a direct import; through the API each request keeps the indexes (other workspaces read the same tables).');
      const remote = await importRemote(
        { url: values.url, apiKey: values['api-key'], dryRun, skipInvalid, onProgress: (rows, fraction) => progress.update(rows, fraction > 0 ? Math.round(rows / fraction) : rows, 'sending') },
        filesFeed(inputs),
      );
      progress.finish();
      report = remote;
      console.log(formatReport(report));
      console.log(`Sent ${remote.requests} request(s) to ${values.url}; each is all-or-nothing on its own${remote.committed || dryRun ? '' : ', and the run stopped at the first rejected one (those before it were written)'}.`);
    } else {
      if (workspaceId === undefined) throw new UsageError('Name the workspace to import into: --workspace ID (or import through a server with --url and --api-key).');
      const db = await openConfiguredDatabase(config);
      try {
        await applyMigrations(db.adapterFactory);
        console.error(`Importing into workspace ${workspaceId} of ${describeDatabase(config)}${dryRun ? ' (dry run)' : ''}.`);
        report = await importRecords(db, { workspaceId, dryRun, skipInvalid, bulkIndexes, onProgress: (done, total, phase) => progress.update(done, total, phase) }, filesFeed(inputs));
        progress.finish();
        console.log(formatReport(report));
      } finally {
        await db.close();
      }
    }
  } catch (error) {
    progress.finish();
    if (error instanceof WorkspaceNotFoundError || error instanceof FileFormatError || error instanceof ImportConflictError || error instanceof BulkLoadError) {
      console.error(error.message);
      return exitCodes.failure;
    }
    throw error;
  }
  const rejected = report.rejectionCount > 0 || report.types.some((summary) => summary.rejected > 0);
  return rejected && !skipInvalid ? exitCodes.failure : exitCodes.ok;
}
