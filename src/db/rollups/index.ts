/**
 * Maintenance of the daily rollups (docs/scaling.md): rebuilding them from
 * the rows, and checking them against the rows. Triggers keep them exact on
 * every write; these are for repair and for proof.
 */
import type { Database } from '../client.js';

/** A workspace's rollup compared with what its rows give. */
export interface RollupCheck {
  workspaceId: number;
  source: 'deals';
  /** Rows the rollup holds (rows that sum to zero left out). */
  rows: number;
  /** Rows the rows give that the rollup lacks or holds with other sums, and rows it holds that they do not give. */
  differences: number;
}

const dealFacts = `"kpigraph_deal_rollup_facts"(d."workspaceId", w."timeZone", 1, u."teamId", d."stage", d."amount", d."createdAt", d."closedAt")`;
const key = `"workspaceId", "kind", "day", "teamId", "stage"`;
const sums = `"deals"::bigint, "amount"::numeric, "cycleDeals"::bigint, "cycleSeconds"::numeric`;

/** Workspaces to act on: the one given, or every one. */
async function workspaceIds(db: Database, workspaceId: number | undefined): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>('SELECT "id" FROM "Workspace" WHERE $1::int IS NULL OR "id" = $1 ORDER BY "id"', [workspaceId ?? null]);
  if (workspaceId !== undefined && rows.length === 0) throw new Error(`Workspace ${workspaceId} does not exist.`);
  return rows.map((row) => Number(row.id));
}

/** Rebuilds the rollups of a workspace (or of every one) from its rows; returns the workspaces rebuilt. */
export async function rebuildRollups(db: Database, workspaceId?: number): Promise<number[]> {
  const ids = await workspaceIds(db, workspaceId);
  for (const id of ids) await db.query('SELECT "kpigraph_rebuild_deal_rollup"($1::int)', [id]);
  return ids;
}

/** Compares the rollups of a workspace (or of every one) with its rows, in one statement per workspace. */
export async function checkRollups(db: Database, workspaceId?: number): Promise<RollupCheck[]> {
  const checks: RollupCheck[] = [];
  for (const id of await workspaceIds(db, workspaceId)) {
    const { rows } = await db.query<{ rows: number; differences: number }>(
      `WITH expected AS (
         SELECT f."workspaceId", f."kind", f."day", f."teamId", f."stage",
                sum(f."deals")::bigint AS "deals", sum(f."amount")::numeric AS "amount", sum(f."cycleDeals")::bigint AS "cycleDeals", sum(f."cycleSeconds")::numeric AS "cycleSeconds"
         FROM "Deal" d JOIN "Workspace" w ON w."id" = d."workspaceId" LEFT JOIN "User" u ON u."id" = d."ownerId", LATERAL ${dealFacts} f
         WHERE d."workspaceId" = $1
         GROUP BY 1, 2, 3, 4, 5
       ), stored AS (
         SELECT ${key}, ${sums} FROM "DealDailyRollup"
         WHERE "workspaceId" = $1 AND NOT ("deals" = 0 AND "amount" = 0 AND "cycleDeals" = 0 AND "cycleSeconds" = 0)
       )
       SELECT (SELECT count(*) FROM stored)::int AS "rows",
              ((SELECT count(*) FROM (SELECT * FROM expected EXCEPT ALL SELECT * FROM stored) missing)
             + (SELECT count(*) FROM (SELECT * FROM stored EXCEPT ALL SELECT * FROM expected) extra))::int AS "differences"`,
      [id],
    );
    checks.push({ workspaceId: id, source: 'deals', rows: Number(rows[0]!.rows), differences: Number(rows[0]!.differences) });
  }
  return checks;
}
