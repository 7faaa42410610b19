/**
 * Maintenance of the daily rollups (docs/scaling.md): rebuilding them from
 * the rows, and checking them against the rows. Triggers keep them exact on
 * every write; these are for repair and for proof.
 */
import type { Database } from '../client.js';

/** A source with a daily rollup. */
export type RollupSource = 'deals' | 'customers';

/** A workspace's rollup of one source compared with what its rows give. */
export interface RollupCheck {
  workspaceId: number;
  source: RollupSource;
  /** Rows the rollup holds (rows that sum to zero left out). */
  rows: number;
  /** Rows the rows give that the rollup lacks or holds with other sums, and rows it holds that they do not give. */
  differences: number;
}

/** What rebuilding and checking a source's rollup need: its table, its key and sums, and its rows as the triggers turn them into facts. */
interface RollupTable {
  source: RollupSource;
  table: string;
  rebuild: string;
  key: string;
  /** Its sums and the type both sides are compared as. */
  sums: readonly (readonly [column: string, type: 'bigint' | 'numeric'])[];
  /** Its rows' facts for a workspace ($1), each aliased `f`. */
  facts: string;
}

const tables: readonly RollupTable[] = [
  {
    source: 'deals',
    table: '"DealDailyRollup"',
    rebuild: '"kpigraph_rebuild_deal_rollup"',
    key: '"workspaceId", "kind", "day", "teamId", "stage"',
    sums: [['"deals"', 'bigint'], ['"amount"', 'numeric'], ['"cycleDeals"', 'bigint'], ['"cycleSeconds"', 'numeric']],
    facts: `"Deal" d JOIN "Workspace" w ON w."id" = d."workspaceId" LEFT JOIN "User" u ON u."id" = d."ownerId",
      LATERAL "kpigraph_deal_rollup_facts"(d."workspaceId", w."timeZone", 1, u."teamId", d."stage", d."amount", d."createdAt", d."closedAt") f
      WHERE d."workspaceId" = $1`,
  },
  {
    source: 'customers',
    table: '"CustomerDailyRollup"',
    rebuild: '"kpigraph_rebuild_customer_rollup"',
    key: '"workspaceId", "kind", "day", "teamId"',
    sums: [['"customers"', 'bigint'], ['"converted"', 'bigint'], ['"fromCampaign"', 'bigint']],
    facts: `"Customer" c JOIN "Workspace" w ON w."id" = c."workspaceId" LEFT JOIN "User" u ON u."id" = c."ownerId",
      LATERAL "kpigraph_customer_rollup_facts"(c."workspaceId", w."timeZone", 1, u."teamId", c."campaignId" IS NOT NULL, c."createdAt", c."qualifiedAt", c."convertedAt", c."churnedAt") f
      WHERE c."workspaceId" = $1`,
  },
];

/** Workspaces to act on: the one given, or every one. */
async function workspaceIds(db: Database, workspaceId: number | undefined): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>('SELECT "id" FROM "Workspace" WHERE $1::int IS NULL OR "id" = $1 ORDER BY "id"', [workspaceId ?? null]);
  if (workspaceId !== undefined && rows.length === 0) throw new Error(`Workspace ${workspaceId} does not exist.`);
  return rows.map((row) => Number(row.id));
}

/** Rebuilds the rollups of a workspace (or of every one) from its rows; returns the workspaces rebuilt. */
export async function rebuildRollups(db: Database, workspaceId?: number): Promise<number[]> {
  const ids = await workspaceIds(db, workspaceId);
  for (const id of ids) for (const { rebuild } of tables) await db.query(`SELECT ${rebuild}($1::int)`, [id]);
  return ids;
}

/** The statement comparing one rollup of a workspace ($1) with its rows. */
function checkSql({ table, key, sums, facts }: RollupTable): string {
  const keyColumns = key.split(', ').map((column) => `f.${column}`);
  return `WITH expected AS (
    SELECT ${keyColumns.join(', ')}, ${sums.map(([column, type]) => `sum(f.${column})::${type} AS ${column}`).join(', ')}
    FROM ${facts}
    GROUP BY ${keyColumns.map((_, i) => i + 1).join(', ')}
  ), stored AS (
    SELECT ${key}, ${sums.map(([column, type]) => `${column}::${type}`).join(', ')} FROM ${table}
    WHERE "workspaceId" = $1 AND NOT (${sums.map(([column]) => `${column} = 0`).join(' AND ')})
  )
  SELECT (SELECT count(*) FROM stored)::int AS "rows",
         ((SELECT count(*) FROM (SELECT * FROM expected EXCEPT ALL SELECT * FROM stored) missing)
        + (SELECT count(*) FROM (SELECT * FROM stored EXCEPT ALL SELECT * FROM expected) extra))::int AS "differences"`;
}

/** Compares the rollups of a workspace (or of every one) with its rows, in one statement per workspace and rollup. */
export async function checkRollups(db: Database, workspaceId?: number): Promise<RollupCheck[]> {
  const checks: RollupCheck[] = [];
  for (const id of await workspaceIds(db, workspaceId)) {
    for (const table of tables) {
      const { rows } = await db.query<{ rows: number; differences: number }>(checkSql(table), [id]);
      checks.push({ workspaceId: id, source: table.source, rows: Number(rows[0]!.rows), differences: Number(rows[0]!.differences) });
    }
  }
  return checks;
}
