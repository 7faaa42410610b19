import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { noFilters, openSchemaEngine, readMigrations, readSchemaFile, projectRoot } from './schema-engine.js';

/** Applies every migration of `prisma/migrations` not yet applied; returns their names. */
export async function applyMigrations(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const engine = await openSchemaEngine(adapterFactory);
  try {
    const migrationsList = await readMigrations();
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * The SQL that would take the database behind `adapterFactory` (already
 * migrated) to what `schema.prisma` describes. Prisma prints
 * "-- This is an empty migration." when they agree.
 */
export async function diffDatabaseToSchema(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const engine = await openSchemaEngine(adapterFactory);
  try {
    const schema = await readSchemaFile();
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files: [schema], configDir: projectRoot },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return result.stdout ?? '';
  } finally {
    engine.free();
  }
}

export function isEmptyMigration(sql: string): boolean {
  return sql.trim() === '' || /^-- This is an empty migration\.\s*$/.test(sql.trim());
}
