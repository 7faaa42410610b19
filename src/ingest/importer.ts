/**
 * One import run: rows stream in from files or API batches, are checked one
 * by one and staged in chunks (flat memory), checked together in SQL, and
 * written set-based, all in one transaction. Any rejected row rolls the
 * whole run back unless `skipInvalid`; a dry run always rolls back, after
 * doing every write, so its counts are exactly what a real run would do.
 */
import { performance } from 'node:perf_hooks';
import type { Database } from '../db/client.js';
import { traced } from '../telemetry/tracing.js';
import type { ImportOptions } from './import-run.js';
import { ImportRun } from './import-run.js';
import type { ImportReport } from './report.js';
import type { RowFeed } from './row-sink.js';
import { Rollback, inTransaction } from './session.js';

export type { ImportOptions } from './import-run.js';
export type { BatchSink, RowFeed, RowSink } from './row-sink.js';

export class WorkspaceNotFoundError extends Error {}

/** Imports what `feed` produces into a workspace; see the module comment. */
export async function importRecords(db: Database, options: ImportOptions, feed: RowFeed): Promise<ImportReport> {
  const started = performance.now();
  const { workspaceId, dryRun = false, skipInvalid = false } = options;
  const workspace = (await db.query<{ timeZone: string }>('SELECT "timeZone" FROM "Workspace" WHERE id = $1', [workspaceId])).rows[0];
  if (!workspace) throw new WorkspaceNotFoundError(`Workspace ${workspaceId} does not exist.`);
  const attributes = { 'kpigraph.import.dry_run': dryRun, 'kpigraph.import.skip_invalid': skipInvalid };
  return traced('import', attributes, () => inTransaction(db, { statementTimeoutMs: options.statementTimeoutMs ?? 0 }, async (session) => {
    const run = new ImportRun(session, options, workspace.timeZone, started);
    await run.readAll(feed);
    await run.checkStaged();
    if (run.rejected > 0 && !skipInvalid) throw new Rollback(run.report(false));
    await run.writeStaged();
    if (dryRun) throw new Rollback(run.report(false));
    return run.report(true);
  }));
}
