import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { openDatabase } from '../db/client.js';

/** Opens the configured database: PostgreSQL when DATABASE_URL is set, else the embedded one. */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  if (config.DATABASE_URL) {
    return openDatabase({
      kind: 'postgres',
      url: config.DATABASE_URL,
      poolSize: config.DB_POOL_SIZE,
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      idleTimeoutMs: config.DB_IDLE_TIMEOUT_MS,
    });
  }
  return openDatabase({ kind: 'pglite', dataDir: config.KPIGRAPH_DATA_DIR });
}

export function describeDatabase(config: Config): string {
  if (!config.DATABASE_URL) return `embedded PGlite in ${config.KPIGRAPH_DATA_DIR}`;
  const url = new URL(config.DATABASE_URL);
  return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
}
