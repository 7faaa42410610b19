/**
 * The writes of staged rows, set-based, chunk by chunk: one UPDATE of the
 * records that the rows change, then one plain INSERT of the rows that have
 * no record yet. A row equal to its record is not touched at all, so a
 * repeated import writes nothing and reports those rows unchanged.
 *
 * Why not one `INSERT … ON CONFLICT DO UPDATE`: it costs a fifth more per
 * inserted row (a speculative insertion, confirmed by a WAL record of its
 * own), and it locks every conflicting row even when nothing changes. The
 * price: should another session insert one of the same external IDs while
 * the import runs, the INSERT fails on the unique key and the whole import
 * rolls back (ImportConflictError), where an upsert would have merged.
 */
import type { RecordType } from './record-types.js';
import { columnOf, recordSpecs } from './record-types.js';
import type { ImportSession } from './session.js';
import { stagingTable } from './staging.js';

const q = (name: string): string => `"${name}"`;

export interface WriteCounts {
  inserted: number;
  updated: number;
}

/** A record written outside the import collided with one of its rows. */
export class ImportConflictError extends Error {}

interface Statements {
  update: string;
  insert: string;
}

/** The stage events derived for the deals an INSERT adds (`w`): new deals have no history to look up. */
function newDealEvents(): string {
  return `,
    ev AS (
      INSERT INTO "DealStageEvent" ("workspaceId", "externalId", "dealId", "fromStage", "toStage", at)
      SELECT $1, w."externalId" || e.suffix, w.id, e.from_stage, e.to_stage, e.at
      FROM w CROSS JOIN LATERAL (VALUES ('#lead', NULL::"DealStage", 'LEAD'::"DealStage", w."createdAt"), ('#close', 'LEAD'::"DealStage", w.stage, w."closedAt")) e(suffix, from_stage, to_stage, at)
      WHERE e.at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${stagingTable('deal_stage_event')} v WHERE v.deal = w."externalId")
      RETURNING 1)`;
}

/** The statements for staged rows `seq ∈ ($2, $3]` of one type, once `existing` names their records (markExisting). */
function statements(type: RecordType): Statements {
  const spec = recordSpecs[type];
  const table = q(spec.table);
  const columns: string[] = [];
  const inserted: string[] = [];
  const updated: string[] = [];
  const joins: string[] = [];
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
    columns.push(column);
    // Left out: the record's current value, or the default for a new one.
    inserted.push(field.keepDefault ? `coalesce(${value}, ${field.keepDefault})` : value);
    updated.push(field.keepDefault ? `coalesce(${value}, e.${column})` : value);
  });
  const where = 'WHERE NOT s.rejected AND s.seq > $2 AND s.seq <= $3';
  const deals = type === 'deal';
  return {
    update: `WITH u AS (
      UPDATE ${table} t SET ${columns.map((column, i) => `${column} = v.c${i}`).join(', ')}
      FROM (SELECT e.id, ${updated.map((value, i) => `${value} AS c${i}`).join(', ')}
        FROM ${stagingTable(type)} s JOIN ${table} e ON e.id = s.existing AND e."workspaceId" = $1 ${joins.join(' ')} ${where}
        AND (${columns.map((column) => `e.${column}`).join(', ')}) IS DISTINCT FROM (${updated.join(', ')})) v
      WHERE t.id = v.id RETURNING 1)
    SELECT count(*)::int AS updated FROM u`,
    insert: `WITH w AS (
      INSERT INTO ${table} ("workspaceId", "externalId", ${columns.join(', ')})
      SELECT $1::int, s."externalId", ${inserted.join(', ')} FROM ${stagingTable(type)} s ${joins.join(' ')} ${where} AND s.existing IS NULL ORDER BY s.seq
      RETURNING ${deals ? 'id, "externalId", stage, "createdAt", "closedAt"' : '1'})${deals ? newDealEvents() : ''}
    SELECT count(*)::int AS inserted, ${deals ? '(SELECT count(*) FROM ev)::int' : '0'} AS events FROM w`,
  };
}

/**
 * Notes each staged row's record, once: joining the growing table again in
 * every chunk's statement would cost more with each chunk written.
 */
async function markExisting(session: ImportSession, type: RecordType, workspaceId: number): Promise<void> {
  await session.query(
    `UPDATE ${stagingTable(type)} s SET existing = e.id FROM ${q(recordSpecs[type].table)} e
     WHERE e."workspaceId" = $1 AND e."externalId" = s."externalId" AND NOT s.rejected`,
    [workspaceId],
  );
}

/** Writes staged rows of a type in chunks of `chunk` rows, reporting after each; `events` counts stage events derived for new deals. */
export async function upsertType(
  session: ImportSession,
  type: RecordType,
  workspaceId: number,
  lastSeq: number,
  chunk: number,
  onChunk: (rows: number) => void,
): Promise<WriteCounts & { events: number }> {
  await markExisting(session, type, workspaceId);
  const sql = statements(type);
  const counts = { inserted: 0, updated: 0, events: 0 };
  for (let from = 0; from < lastSeq; from += chunk) {
    const to = Math.min(lastSeq, from + chunk);
    const params = [workspaceId, from, to];
    const [updated] = await session.query<{ updated: number }>(sql.update, params);
    counts.updated += updated?.updated ?? 0;
    try {
      const [row] = await session.query<{ inserted: number; events: number }>(sql.insert, params);
      counts.inserted += row?.inserted ?? 0;
      counts.events += row?.events ?? 0;
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === '23505') {
        const detail = 'detail' in error && typeof error.detail === 'string' ? ` (${error.detail})` : '';
        throw new ImportConflictError(
          `A record with an external ID of this import was written outside it while it ran${detail}; nothing was written. Run the import again.`,
        );
      }
      throw error;
    }
    onChunk(to - from);
  }
  return counts;
}
