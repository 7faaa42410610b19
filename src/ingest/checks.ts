/**
 * Checks that need more than one row, as set-based SQL over the staging
 * tables and the workspace's records: duplicate external IDs, references,
 * unique names, deals of the right customer and stage histories. Each check
 * writes its findings to the problems table and marks the rows rejected;
 * types are checked in dependency order, so with --skip-invalid a rejected
 * customer makes its deals' references unknown in turn.
 */
import type { RecordType } from './record-types.js';
import { recordSpecs } from './record-types.js';
import { problemsTable, stagingTable } from './staging.js';
import type { ImportSession } from './import-session.js';

const q = (name: string): string => `"${name}"`;

/** Records a check's findings (`seq, source, line, field, reason`) and rejects those rows. */
async function record(session: ImportSession, type: RecordType, workspaceId: number, select: string): Promise<void> {
  await session.query(`INSERT INTO ${problemsTable} (type, seq, source, line, field, reason) SELECT '${type}', p.* FROM (${select}) p`, [workspaceId]);
  await session.query(
    `UPDATE ${stagingTable(type)} s SET rejected = true WHERE NOT s.rejected AND s.seq IN (SELECT seq FROM ${problemsTable} WHERE type = '${type}')`,
  );
}

function duplicates(type: RecordType): string {
  const s = stagingTable(type);
  return `SELECT seq, source, line, 'externalId', 'appears ' || n || ' times in this import (first at row ' || first_line || '); each record may appear once.'
    FROM (SELECT seq, source, line, count(*) OVER w AS n, first_value(line) OVER (w ORDER BY seq) AS first_line FROM ${s}
      -- Bytewise ("C") IDs sort with abbreviated keys: finding neighbours that repeat takes 0.6 of the time of
      -- hashing them all (1.1 against 1.7–1.9 s for 1.5M IDs); the window then sorts only the duplicates.
      WHERE "externalId" IN (SELECT "externalId" FROM (SELECT "externalId", lag("externalId") OVER (ORDER BY "externalId") AS previous FROM ${s}) t
        WHERE previous = "externalId") AND $1::int IS NOT NULL
      WINDOW w AS (PARTITION BY "externalId")) d
    WHERE n > 1`;
}

/**
 * References that name no row. Rows rejected already are looked at too, so
 * that a row with several unknown references (or a duplicate ID as well)
 * is named for each at once, not one fix and run at a time.
 */
function references(type: RecordType): string[] {
  const s = stagingTable(type);
  return recordSpecs[type].fields
    .filter((field) => field.kind === 'ref')
    .map((field) => {
      const target = recordSpecs[field.target!];
      return `SELECT s.seq, s.source, s.line, '${field.name}', 'unknown ${target.type} "' || s.${q(field.name)} || '": no valid ${target.plural} row in this import and no record in the workspace has that externalId.'
        FROM ${s} s WHERE s.${q(field.name)} IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM ${stagingTable(target.type)} u WHERE u."externalId" = s.${q(field.name)} AND NOT u.rejected)
        AND NOT EXISTS (SELECT 1 FROM ${q(target.table)} x WHERE x."workspaceId" = $1 AND x."externalId" = s.${q(field.name)})`;
    });
}

/** Team names and user e-mails are unique per workspace. */
function uniqueColumn(type: 'team' | 'user', column: 'name' | 'email'): string[] {
  const s = stagingTable(type);
  const table = q(recordSpecs[type].table);
  return [
    `SELECT seq, source, line, '${column}', 'is used by ' || n || ' rows of this import; it must be unique in the workspace.'
      FROM (SELECT seq, source, line, count(*) OVER (PARTITION BY lower(${q(column)})) AS n FROM ${s} WHERE NOT rejected AND $1::int IS NOT NULL) d WHERE n > 1`,
    `SELECT s.seq, s.source, s.line, '${column}', 'is already used by another ${type} of the workspace (externalId ' || coalesce(x."externalId", 'none') || ').'
      FROM ${s} s JOIN ${table} x ON x."workspaceId" = $1 AND x.${q(column)} = s.${q(column)} AND x."externalId" IS DISTINCT FROM s."externalId"
      WHERE NOT s.rejected`,
  ];
}

/** An activity's or payment's deal must be a deal of the same customer. */
function dealOfCustomer(type: 'activity' | 'payment'): string {
  const s = stagingTable(type);
  return `SELECT s.seq, s.source, s.line, 'deal', 'must be a deal of the given customer "' || s.customer || '"; deal "' || s.deal || '" is of customer "' || coalesce(sd.customer, xc."externalId", '?') || '".'
    FROM ${s} s
    LEFT JOIN ${stagingTable('deal')} sd ON sd."externalId" = s.deal AND NOT sd.rejected
    LEFT JOIN "Deal" x ON sd.seq IS NULL AND x."workspaceId" = $1 AND x."externalId" = s.deal
    LEFT JOIN "Customer" xc ON xc.id = x."customerId"
    WHERE NOT s.rejected AND s.deal IS NOT NULL AND coalesce(sd.customer, xc."externalId") IS DISTINCT FROM s.customer`;
}

/** A deal without events in this import whose recorded history it would contradict. */
function changedWithoutHistory(): string {
  const s = stagingTable('deal');
  return `SELECT s.seq, s.source, s.line, 'stage', 'this deal has a recorded stage history; to change its stage, createdAt or closedAt, import its new deal_stage_event rows too.'
    FROM ${s} s JOIN "Deal" x ON x."workspaceId" = $1 AND x."externalId" = s."externalId"
    WHERE NOT s.rejected
    AND (x.stage::text, x."closedAt", x."createdAt") IS DISTINCT FROM (s.stage, s."closedAt", s."createdAt")
    AND NOT EXISTS (SELECT 1 FROM ${stagingTable('deal_stage_event')} e WHERE e.deal = s."externalId" AND NOT e.rejected)
    AND EXISTS (SELECT 1 FROM "DealStageEvent" h WHERE h."workspaceId" = $1 AND h."dealId" = x.id
      AND h."externalId" IS DISTINCT FROM s."externalId" || '#lead' AND h."externalId" IS DISTINCT FROM s."externalId" || '#close')`;
}

/**
 * The full history of every deal with events in this import (its recorded
 * events plus the imported ones) must chain from a creation event, stay in
 * time order from createdAt, and end where the deal stands: its stage, and
 * for a closed deal its closedAt. Problems are written to `_import_history`.
 */
async function stageHistories(session: ImportSession, workspaceId: number): Promise<void> {
  const e = stagingTable('deal_stage_event');
  const d = stagingTable('deal');
  await session.query(`CREATE TEMP TABLE "_import_history" ON COMMIT DROP AS
    WITH touched AS (SELECT deal AS ext, min(seq) AS first_seq FROM ${e} WHERE NOT rejected GROUP BY deal),
    state AS (
      SELECT t.ext, x.id AS deal_id, sd.seq AS deal_seq,
        CASE WHEN sd.seq IS NULL THEN x.stage::text ELSE sd.stage END AS stage,
        CASE WHEN sd.seq IS NULL THEN x."closedAt" ELSE sd."closedAt" END AS closed_at,
        CASE WHEN sd.seq IS NULL THEN x."createdAt" ELSE sd."createdAt" END AS created_at, t.first_seq
      FROM touched t
      LEFT JOIN ${d} sd ON sd."externalId" = t.ext AND NOT sd.rejected
      LEFT JOIN "Deal" x ON x."workspaceId" = $1 AND x."externalId" = t.ext),
    events AS (
      SELECT s.ext, v."fromStage" AS from_stage, v."toStage" AS to_stage, v.at, v."externalId" AS eid, v.seq
        FROM state s JOIN ${e} v ON v.deal = s.ext AND NOT v.rejected
      UNION ALL
      SELECT s.ext, h."fromStage"::text, h."toStage"::text, h.at, h."externalId", NULL
        FROM state s JOIN "DealStageEvent" h ON h."workspaceId" = $1 AND h."dealId" = s.deal_id
        WHERE NOT EXISTS (SELECT 1 FROM ${e} v WHERE v."externalId" = h."externalId")),
    ordered AS (
      SELECT v.*, lag(to_stage) OVER w AS prev_to, row_number() OVER w AS n, count(*) OVER (PARTITION BY ext) AS total
        FROM events v WINDOW w AS (PARTITION BY ext ORDER BY at, (from_stage IS NOT NULL), eid))
    SELECT o.ext, coalesce(o.seq, s.first_seq) AS event_seq, s.deal_seq, p.field, p.reason
    FROM ordered o JOIN state s USING (ext)
    CROSS JOIN LATERAL (VALUES
      (o.at < s.created_at, 'at', 'must not be before the deal''s createdAt (' || to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ').'),
      (o.n = 1 AND o.from_stage IS NOT NULL, 'fromStage', 'the first event of deal "' || o.ext || '" must have no fromStage (it opens the deal at LEAD); this one comes from ' || o.from_stage || '.'),
      (o.n > 1 AND o.from_stage IS DISTINCT FROM o.prev_to, 'fromStage', 'must be ' || coalesce(o.prev_to, 'empty') || ', the stage the event before left deal "' || o.ext || '" in; got ' || coalesce(o.from_stage, 'none') || '.'),
      (o.n = o.total AND o.to_stage IS DISTINCT FROM s.stage, 'stage', 'deal "' || o.ext || '" is at ' || coalesce(s.stage, '?') || ' but its stage history ends at ' || o.to_stage || '.'),
      (o.n = o.total AND s.closed_at IS NOT NULL AND o.at <> s.closed_at, 'closedAt', 'deal "' || o.ext || '" closed at ' || to_char(s.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ' but its last stage event is at ' || to_char(o.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '.')
    ) AS p(bad, field, reason)
    WHERE p.bad`, [workspaceId]);
  // A disagreement with the deal's own columns is the deal row's fault when
  // the deal is in this import; everything else is its events'.
  await record(session, 'deal', workspaceId, `SELECT sd.seq, sd.source, sd.line, h.field, h.reason FROM "_import_history" h
    JOIN ${d} sd ON sd.seq = h.deal_seq WHERE h.field IN ('stage', 'closedAt') AND $1::int IS NOT NULL`);
  await record(session, 'deal_stage_event', workspaceId, `SELECT v.seq, v.source, v.line, h.field, h.reason FROM "_import_history" h
    JOIN ${e} v ON v.seq = h.event_seq WHERE (h.deal_seq IS NULL OR h.field NOT IN ('stage', 'closedAt')) AND $1::int IS NOT NULL`);
  // The rest of a faulty history goes with it.
  await session.query(`UPDATE ${e} v SET rejected = true FROM (SELECT DISTINCT ext FROM "_import_history") h WHERE v.deal = h.ext`);
  await session.query(`UPDATE ${d} v SET rejected = true FROM (SELECT DISTINCT ext FROM "_import_history") h WHERE v."externalId" = h.ext`);
}

/** Runs every cross-row check of one type. */
export async function checkType(session: ImportSession, type: RecordType, workspaceId: number): Promise<void> {
  const selects = [duplicates(type), ...references(type)];
  if (type === 'team') selects.push(...uniqueColumn('team', 'name'));
  if (type === 'user') selects.push(...uniqueColumn('user', 'email'));
  if (type === 'activity' || type === 'payment') selects.push(dealOfCustomer(type));
  if (type === 'deal') selects.push(changedWithoutHistory());
  for (const select of selects) await record(session, type, workspaceId, select);
  if (type === 'deal_stage_event') await stageHistories(session, workspaceId);
}
