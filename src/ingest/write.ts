/**
 * The writes around the upserts (upsert.ts): export IDs claimed before them,
 * and the stage events derived for deals that already exist. Both compare
 * before they write, so a repeated import writes nothing here either.
 */
import type { RecordType } from './record-types.js';
import { recordSpecs, recordTypes } from './record-types.js';
import type { ImportSession } from './import-session.js';
import { stagingTable } from './staging.js';
import type { WriteCounts } from './upsert.js';

const q = (name: string): string => `"${name}"`;

/** The prefix export gives records that have no externalId of their own. */
export const exportIdPrefix = (type: RecordType): string => `kpg:${type}:`;

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

const eventConflict = `ON CONFLICT ("workspaceId", "externalId") DO UPDATE SET "dealId" = EXCLUDED."dealId", "fromStage" = EXCLUDED."fromStage", "toStage" = EXCLUDED."toStage", at = EXCLUDED.at
      WHERE ("DealStageEvent"."dealId", "DealStageEvent"."fromStage", "DealStageEvent"."toStage", "DealStageEvent".at)
        IS DISTINCT FROM (EXCLUDED."dealId", EXCLUDED."fromStage", EXCLUDED."toStage", EXCLUDED.at)`;

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
