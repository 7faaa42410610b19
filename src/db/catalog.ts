import type { Database } from './client.js';

/**
 * A plain description of the current schema's tables, columns, indexes,
 * constraints and enums, to compare two databases built by the migrations.
 */
export async function describeCatalog(db: Database): Promise<Record<string, string[]>> {
  const list = async (sql: string): Promise<string[]> =>
    (await db.query<{ line: string }>(sql)).rows.map((row) => row.line);
  return {
    columns: await list(`
      SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '
             || coalesce(numeric_precision::text, '') || ',' || coalesce(numeric_scale::text, '') || ' '
             || coalesce(column_default, '') AS line
      FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1`),
    indexes: await list(`SELECT indexdef AS line FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1`),
    constraints: await list(`
      SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
      FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
        AND contype <> 'n' -- PostgreSQL 17 (PGlite) lists NOT NULL here too; columns cover it
      ORDER BY 1`),
    enums: await list(`
      SELECT t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS line
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE t.typnamespace = current_schema()::regnamespace GROUP BY t.typname ORDER BY 1`),
  };
}
