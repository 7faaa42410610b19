import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rollupsCommand } from '../../src/cli/rollups-command.js';
import type { Config } from '../../src/config.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { adminUrl, databaseName } from '../support/global-setup.js';

/**
 * The commands open the configured database themselves: a PGlite folder of
 * the test's, or a PostgreSQL database of its own made from the migrated
 * template when TEST_DATABASE_URL is set.
 */
const templateUrl = process.env['TEST_DATABASE_URL'];
let config: Config;
let cleanup: () => Promise<void>;
let workspaceId: number;

async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const db = config.DATABASE_URL
    ? await openDatabase({ kind: 'postgres', url: config.DATABASE_URL, poolSize: 1, connectTimeoutMs: 5_000, statementTimeoutMs: 30_000, idleTimeoutMs: 1_000 })
    : await openDatabase({ kind: 'pglite', dataDir: config.KPIGRAPH_DATA_DIR });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

async function run(args: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  try {
    return { code: await rollupsCommand(config, args), output: lines.join('\n') };
  } finally {
    log.mockRestore();
  }
}

beforeAll(async () => {
  if (templateUrl) {
    const name = `${databaseName(templateUrl)}_t${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl(templateUrl) });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${databaseName(templateUrl)}"`);
    await admin.end();
    const url = new URL(templateUrl);
    url.pathname = `/${name}`;
    config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url.toString() });
    cleanup = async () => {
      const dropper = new pg.Client({ connectionString: adminUrl(templateUrl) });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    };
  } else {
    const dir = await mkdtemp(path.join(tmpdir(), 'kpigraph-rollups-'));
    config = loadConfig({ NODE_ENV: 'test', KPIGRAPH_DATA_DIR: dir });
    cleanup = () => rm(dir, { recursive: true, force: true });
  }
  workspaceId = await withDatabase(async (db) => {
    await applyMigrations(db.adapterFactory);
    const ws = (await db.query<{ id: number }>(`INSERT INTO "Workspace" ("name", "timeZone") VALUES ('rollups', 'Europe/Berlin') RETURNING "id"`)).rows[0]!.id;
    const customer = (await db.query<{ id: number }>(`INSERT INTO "Customer" ("workspaceId", "name", "industry", "region", "channel", "createdAt", "convertedAt", "churnedAt")
       VALUES ($1, 'c', 'software', 'DE', 'search', '2026-01-03T10:00:00Z', '2026-01-20T10:00:00Z', '2026-01-10T10:00:00Z') RETURNING "id"`, [ws])).rows[0]!.id;
    await db.query(
      `INSERT INTO "Deal" ("workspaceId", "customerId", "title", "amount", "productLine", "stage", "createdAt", "closedAt")
       VALUES ($1, $2, 'a', 100.10, 'core', 'WON', '2026-01-05T10:00:00Z', '2026-02-01T10:00:00Z'), ($1, $2, 'b', 20.00, 'core', 'LEAD', '2026-01-05T11:00:00Z', NULL)`,
      [ws, customer],
    );
    return ws;
  });
}, 60_000);
afterAll(async () => cleanup?.());

describe('kpigraph rollups', () => {
  it('check finds the rollup kept by the writes equal to the rows', async () => {
    const { code, output } = await run(['check', '--workspace', String(workspaceId), '--json']);
    // Deal a: created, closed and no longer open; deal b created the same day in the same key but another stage.
    // The customer: created, converted, churned (before converting) and no longer active (on its conversion day).
    expect(JSON.parse(output)).toEqual({
      ok: true,
      differences: 0,
      workspaces: [
        { workspaceId, source: 'deals', rows: 4, differences: 0 },
        { workspaceId, source: 'customers', rows: 4, differences: 0 },
      ],
    });
    expect(code).toBe(0);
  });

  it('check exits 6 and counts the rows that differ when a rollup row was changed behind the triggers, and rebuild repairs it', async () => {
    await withDatabase(async (db) => {
      await db.query(`UPDATE "DealDailyRollup" SET "amount" = "amount" + 0.01 WHERE "workspaceId" = $1 AND "kind" = 1`, [workspaceId]);
      await db.query(`UPDATE "CustomerDailyRollup" SET "converted" = 0 WHERE "workspaceId" = $1 AND "kind" = 0`, [workspaceId]);
    });
    const broken = await run(['check', '--json']);
    expect(broken.code).toBe(6);
    // Each changed row is missing as the rows give it and present with other sums.
    expect(JSON.parse(broken.output)).toMatchObject({
      ok: false,
      differences: 4,
      workspaces: [
        { source: 'deals', differences: 2 },
        { source: 'customers', differences: 2 },
      ],
    });
    const text = await run(['check']);
    expect(text.output).toContain(`workspace ${workspaceId} customers: 4 rollup rows, 2 difference(s)`);
    expect(text.output).toContain('differ from the rows in 4 row(s)');

    const rebuilt = await run(['rebuild', '--workspace', String(workspaceId), '--json']);
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.output)).toMatchObject({ rebuilt: [workspaceId] });
    expect(await run(['check', '--workspace', String(workspaceId)])).toEqual({ code: 0, output: expect.stringContaining('The rollups match the rows.') as string });
  });

  it('refuses a workspace that is not an id, or an unknown action, before opening the database', async () => {
    await expect(run(['check', '--workspace', 'abc'])).rejects.toThrow('--workspace must be a workspace id');
    await expect(run(['repair'])).rejects.toThrow('rollups takes rebuild or check; got repair');
  });
});
