/**
 * Foreign keys checked once per import instead of once per row. PostgreSQL
 * checks each reference of each inserted row with a query of its own (a
 * trigger per key), which costs about a third of an import's writes. An
 * import needs none of them: the checks (checks.ts) reject every reference
 * that names no row, and the upserts resolve references by joining on the
 * workspace's rows, so a written id always names a row that exists. What
 * the triggers add is a lock that keeps another session from deleting a
 * referenced row before the import commits; here one statement per type
 * takes that lock on every referenced row at once, before the checks, and
 * then the session stops firing the triggers (what `pg_restore
 * --disable-triggers` does). Only a superuser may do that; anyone else
 * keeps the triggers, and loses only speed.
 */
import type { RecordType } from './record-types.js';
import { recordSpecs, recordTypes } from './record-types.js';
import type { ImportSession } from './import-session.js';
import { stagingTable } from './staging.js';

/** Locks the rows the staged rows reference and turns the row-by-row checks off; false when not allowed. */
export async function checkForeignKeysInBulk(session: ImportSession, workspaceId: number, staged: Readonly<Record<RecordType, number>>): Promise<boolean> {
  const [role] = await session.query<{ superuser: boolean }>(`SELECT current_setting('is_superuser') = 'on' AS superuser`);
  if (!role?.superuser) return false;
  await session.query('SELECT 1 FROM "Workspace" WHERE id = $1 FOR KEY SHARE', [workspaceId]);
  for (const target of recordTypes) {
    const names: string[] = [];
    for (const type of recordTypes) {
      if (staged[type] === 0) continue;
      for (const field of recordSpecs[type].fields) {
        if (field.kind === 'ref' && field.target === target) names.push(`SELECT "${field.name}" FROM ${stagingTable(type)}`);
      }
    }
    // (The deals that derived stage events reference are locked where they are written, write.ts.)
    if (names.length === 0) continue;
    await session.query(
      `WITH locked AS (SELECT x.id FROM "${recordSpecs[target].table}" x WHERE x."workspaceId" = $1 AND x."externalId" IN (${names.join(' UNION ALL ')}) FOR KEY SHARE OF x)
       SELECT count(*)::int AS n FROM locked`,
      [workspaceId],
    );
  }
  // LOCAL: the setting ends with the transaction, so a pooled connection comes back unchanged.
  await session.query('SET LOCAL session_replication_role = replica');
  return true;
}
