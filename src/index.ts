/**
 * kpigraph as a library: build the server into another Node process, or
 * drive the database and migrations from your own scripts. KPI plugin
 * authors import `kpigraph/sdk` and test with `kpigraph/testkit`.
 */
export { loadConfig } from './config.js';
export type { Config } from './config.js';
export { openDatabase } from './db/client.js';
export type { Database, DatabaseOptions } from './db/client.js';
export { applyMigrations } from './db/migrate.js';
export { createServer } from './server/create-server.js';
export type { CreateServerOptions, KpigraphServer } from './server/create-server.js';
export { createKpiRegistry } from './kpi/kpi-plugins.js';
export { createApiKey } from './auth/api-keys.js';
