/**
 * The writes of an import, set-based: one `INSERT … SELECT … ON CONFLICT
 * ("workspaceId", "externalId") DO UPDATE … WHERE (…) IS DISTINCT FROM (…)`
 * per type and chunk of staged rows. A row whose values equal the record's
 * is not touched at all, so a repeated import writes nothing and reports
 * those rows unchanged; `xmax = 0` tells an inserted row from an updated one.
 */
import type { RecordType } from './record-types.js';
import { columnOf, recordSpecs, recordTypes } from './record-types.js';
import type { ImportSession } from './session.js';
import { stagingTable } from './staging.js';

const q = (name: string): string => `"${name}"`;

/** The prefix export gives records that have no externalId of their own. */
export const exportIdPrefix = (type: RecordType): string => `kpg:${type}:`;

export interface WriteCounts {
  inserted: number;
  updated: number;
}

/**
 * Records exported without an externalId come back as `kpg:<type>:<id>`:
 * such a record of this workspace that still has no externalId takes that
 * one, so the upsert matches it instead of inserting a copy. Ids are global,
 * so the same names never match a record in another workspace.
 */
export async function claimExportIds(session: ImportSession, workspaceId: number): Promise<void> {
  for (const type of recordTypes) {
    const prefix = exportIdPrefix(type);
    const sources = [`SELECT "externalId" AS v FROM ${stagingTable(type)}`];
    for (const other of recordTypes) {
      for (const field of recordSpecs[other].fields) {
        if (field.kind === 'ref' && field.target === type) sources.push(`SELECT ${q(field.name)} FROM ${stagingTable(other)}`);
      }
    }
    await session.query(
      `UPDATE ${q(recordSpecs[type].table)} t SET "externalId" = $2 || t.id WHERE t."workspaceId" = $1 AND t."externalId" IS NULL
       AND t.id IN (SELECT substr(v, length($2) + 1)::int FROM (${sources.join(' UNION ')}) s WHERE v LIKE $2 || '%' AND substr(v, length($2) + 1) ~ '^[0-9]{1,9}$')`,
      [workspaceId, prefix],
    );
  }
}

/**
 * The events derived for deals inserted by the statement (`w`): such a deal
 * has no history yet, so the look-ups of recorded events that existing
 * deals need are skipped, and the events go in with the deals.
 */
const newDealEvents = (): string => `,
    ev AS (
      INSERT INTO "DealStageEvent" ("workspaceId", "externalId", "dealId", "fromStage", "toStage", at)
      SELECT $1, w."externalId" || e.suffix, w.id, e.from_stage, e.to_stage, e.at
      FROM w CROSS JOIN LATERAL (VALUES ('#lead', NULL::"DealStage", 'LEAD'::"DealStage", w."createdAt"), ('#close', 'LEAD'::"DealStage", w.stage, w."closedAt")) e(suffix, from_stage, to_stage, at)
      WHERE w.inserted AND e.at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM ${stagingTable('deal_stage_event')} v WHERE v.deal = w."externalId")
      ${eventConflict}
      RETURNING (xmax = 0) AS inserted)`;

const eventConflict = `ON CONFLICT ("workspaceId", "externalId") DO UPDATE SET "dealId" = EXCLUDED."dealId", "fromStage" = EXCLUDED."fromStage", "toStage" = EXCLUDED."toStage", at = EXCLUDED.at
      WHERE ("DealStageEvent"."dealId", "DealStageEvent"."fromStage", "DealStageEvent"."toStage", "DealStageEvent".at)
        IS DISTINCT FROM (EXCLUDED."dealId", EXCLUDED."fromStage", EXCLUDED."toStage", EXCLUDED.at)`;

/** The upsert of staged rows `seq ∈ ($2, $3]` of one type. */
function upsertStatement(type: RecordType): string {
  const spec = recordSpecs[type];
  const table = q(spec.table);
  const columns = ['"workspaceId"', '"externalId"'];
  const values = ['$1', 's."externalId"'];
  const joins: string[] = [];
  const compared: string[] = [];
  spec.fields.forEach((field, index) => {
    const column = q(columnOf(field));
    let value: string;
    if (field.kind === 'ref') {
      const alias = `r${index}`;
      joins.push(`LEFT JOIN ${q(recordSpecs[field.target!].table)} ${alias} ON ${alias}."workspaceId" = $1 AND ${alias}."externalId" = s.${q(field.name)}`);
      value = `${alias}.id`;
    } else if (field.kind === 'enum') {
      value = `s.${q(field.name)}::${q(field.enumType!)}`;
    } else {
      value = `s.${q(field.name)}`;
    }
    if (field.keepDefault) {
      // Left out: the record's current value, or the default for a new one.
      value = `coalesce(${value}, e.${column}, ${field.keepDefault})`;
    }
    columns.push(column);
    values.push(value);
    compared.push(column);
  });
  // The record itself: for values left out, and to skip rows equal to it
  // before the upsert, which would lock (and so write) every conflicting row.
  joins.push(`LEFT JOIN ${table} e ON e."workspaceId" = $1 AND e."externalId" = s."externalId"`);
  const set = compared.map((column) => `${column} = EXCLUDED.${column}`).join(', ');
  const mine = compared.map((column) => `${table}.${column}`).join(', ');
  const theirs = compared.map((column) => `EXCLUDED.${column}`).join(', ');
  const deals = type === 'deal';
  return `WITH w AS (
    INSERT INTO ${table} (${columns.join(', ')})
    SELECT ${values.join(', ')} FROM ${stagingTable(type)} s ${joins.join(' ')}
    WHERE NOT s.rejected AND s.seq > $2 AND s.seq <= $3
    AND (e.id IS NULL OR (${compared.map((column) => `e.${column}`).join(', ')}) IS DISTINCT FROM (${values.slice(2).join(', ')}))
    ORDER BY s.seq
    ON CONFLICT ("workspaceId", "externalId") DO UPDATE SET ${set}
    WHERE (${mine}) IS DISTINCT FROM (${theirs})
    RETURNING (xmax = 0) AS inserted${deals ? ', id, "externalId", stage, "createdAt", "closedAt"' : ''})${deals ? newDealEvents() : ''}
  SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated,
    ${deals ? '(SELECT count(*) FROM ev WHERE inserted)::int' : '0'} AS "eventsInserted", ${deals ? '(SELECT count(*) FROM ev WHERE NOT inserted)::int' : '0'} AS "eventsUpdated" FROM w`;
}

/** Upserts staged rows of a type in chunks of `chunk` rows, reporting after each; `events` counts derived stage events. */
export async function upsertType(
  session: ImportSession,
  type: RecordType,
  workspaceId: number,
  lastSeq: number,
  chunk: number,
  onChunk: (rows: number) => void,
): Promise<WriteCounts & { events: WriteCounts }> {
  const sql = upsertStatement(type);
  const counts = { inserted: 0, updated: 0, events: { inserted: 0, updated: 0 } };
  for (let from = 0; from < lastSeq; from += chunk) {
    const to = Math.min(lastSeq, from + chunk);
    const [row] = await session.query<WriteCounts & { eventsInserted: number; eventsUpdated: number }>(sql, [workspaceId, from, to]);
    counts.inserted += row?.inserted ?? 0;
    counts.updated += row?.updated ?? 0;
    counts.events.inserted += row?.eventsInserted ?? 0;
    counts.events.updated += row?.eventsUpdated ?? 0;
    onChunk(to - from);
  }
  return counts;
}

/**
 * Stage events of deals imported without a history (and with none recorded
 * but derived ones): the creation (LEAD at createdAt) and, for a closed
 * deal, the close (LEAD → WON/LOST at closedAt), named `<deal>#lead` and
 * `<deal>#close` so that the next import updates rather than adds them. A
 * deal reopened since loses its derived close. This statement handles the
 * deals that exist before the upsert (run it first); the upsert derives the
 * events of the deals it inserts.
 */
export async function deriveStageEvents(session: ImportSession, workspaceId: number): Promise<WriteCounts & { deleted: number }> {
  const [row] = await session.query<WriteCounts & { deleted: number }>(
    `WITH d AS (
      SELECT s."externalId" AS ext, x.id AS deal_id, s.stage, s."createdAt" AS created_at, s."closedAt" AS closed_at
      FROM ${stagingTable('deal')} s JOIN "Deal" x ON x."workspaceId" = $1 AND x."externalId" = s."externalId"
      WHERE NOT s.rejected
      AND NOT EXISTS (SELECT 1 FROM ${stagingTable('deal_stage_event')} v WHERE v.deal = s."externalId")
      AND NOT EXISTS (SELECT 1 FROM "DealStageEvent" h WHERE h."workspaceId" = $1 AND h."dealId" = x.id
        AND h."externalId" IS DISTINCT FROM s."externalId" || '#lead' AND h."externalId" IS DISTINCT FROM s."externalId" || '#close')),
    ev AS (
      SELECT ext || '#lead' AS eid, deal_id, NULL::"DealStage" AS from_stage, 'LEAD'::"DealStage" AS to_stage, created_at AS at FROM d
      UNION ALL
      SELECT ext || '#close', deal_id, 'LEAD'::"DealStage", stage::"DealStage", closed_at FROM d WHERE closed_at IS NOT NULL),
    changed AS (
      SELECT ev.* FROM ev WHERE NOT EXISTS (SELECT 1 FROM "DealStageEvent" h WHERE h."workspaceId" = $1 AND h."externalId" = ev.eid
        AND (h."dealId", h."fromStage", h."toStage", h.at) IS NOT DISTINCT FROM (ev.deal_id, ev.from_stage, ev.to_stage, ev.at))),
    -- The deals that get new events stay until the import commits (see foreign-keys.ts).
    locked AS (SELECT x.id FROM "Deal" x WHERE x.id IN (SELECT deal_id FROM changed) FOR KEY SHARE),
    w AS (
      INSERT INTO "DealStageEvent" ("workspaceId", "externalId", "dealId", "fromStage", "toStage", at)
      SELECT $1, eid, deal_id, from_stage, to_stage, at FROM changed JOIN locked ON locked.id = changed.deal_id ORDER BY deal_id, at
      ${eventConflict}
      RETURNING (xmax = 0) AS inserted),
    gone AS (
      DELETE FROM "DealStageEvent" h USING d
      WHERE h."workspaceId" = $1 AND h."dealId" = d.deal_id AND h."externalId" = d.ext || '#close' AND d.closed_at IS NULL
      RETURNING 1)
    SELECT (SELECT count(*) FROM w WHERE inserted)::int AS inserted, (SELECT count(*) FROM w WHERE NOT inserted)::int AS updated,
      (SELECT count(*) FROM gone)::int AS deleted`,
    [workspaceId],
  );
  return row ?? { inserted: 0, updated: 0, deleted: 0 };
}
