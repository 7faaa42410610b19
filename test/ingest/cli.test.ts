import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createWorkspace, csv, tempDir, writeFiles } from './helpers.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

/** `node bin/kpigraph.js …` as a process on its own embedded data folder. */
async function kpigraph(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // Never the PostgreSQL of a TEST_DATABASE_URL run: this test is about the embedded folder.
  const { DATABASE_URL: _postgres, ...inherited } = process.env;
  const env = { ...inherited, KPIGRAPH_DATA_DIR: dataDir, NODE_ENV: 'test' };
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(projectRoot, 'bin/kpigraph.js'), ...args], { cwd: projectRoot, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const dealHeader = 'externalId,customer,owner,title,amount,stage,productLine,createdAt,closedAt,lostReason';

describe('kpigraph import and export as processes', () => {
  let folder: Awaited<ReturnType<typeof tempDir>>;
  let dataDir: string;
  let workspace: string;

  beforeAll(async () => {
    folder = await tempDir();
    dataDir = path.join(folder.dir, 'data');
    // Prepared in-process: one child process fewer on a slow machine.
    const db = await openDatabase({ kind: 'pglite', dataDir });
    try {
      await applyMigrations(db.adapterFactory);
      workspace = String(await createWorkspace(db, 'Europe/Berlin', 'Imported'));
    } finally {
      await db.close();
    }
  }, 90_000);
  afterAll(async () => folder?.remove());

  it('imports CSV files, then refuses a file with a bad row, naming file and line', async () => {
    const files = await writeFiles(folder.dir, {
      'users.csv': csv('externalId,name,email', ['u1,Ada Rep,ada@example.com']),
      'customers.csv': csv('externalId,name,industry,region,channel,owner,createdAt', ['c1,Acme,software,DE,search,u1,2024-01-10 09:00']),
      'deals.csv': csv(dealHeader, ['d1,c1,u1,Platform,1200.50,WON,core,2024-02-01 10:00,2024-03-01 10:00,']),
    });
    const good = await kpigraph(dataDir, ['import', ...files, '--workspace', workspace]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/deals\s+1\s+1\s+0\s+0\s+0/);
    expect(good.stdout).toContain("workspace's time zone, Europe/Berlin");
    expect(good.stderr).toMatch(/writing: 100%/);

    const [bad] = await writeFiles(path.join(folder.dir), {
      'bad-deals.csv': csv(dealHeader, ['d2,c1,u1,Fine,10.00,LEAD,core,2024-02-01 10:00,,', 'd3,c1,u1,Refund,-10.00,LEAD,core,2024-02-01 10:00,,']),
    });
    const refused = await kpigraph(dataDir, ['import', bad!, '--type', 'deals', '--workspace', workspace]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('bad-deals.csv:3: amount: must be a non-negative amount');
    expect(refused.stdout).toContain('Nothing was written');

    const exported = await kpigraph(dataDir, ['export', '--format', 'ndjson', '--workspace', workspace, '--type', 'deals', '--type', 'deal_stage_events']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>)).toEqual([
      { type: 'deal', externalId: 'd1', customer: 'c1', owner: 'u1', title: 'Platform', amount: '1200.50', stage: 'WON', dealType: 'NEW', productLine: 'core', createdAt: '2024-02-01T09:00:00.000Z', closedAt: '2024-03-01T09:00:00.000Z' },
      { type: 'deal_stage_event', externalId: 'd1#lead', deal: 'd1', toStage: 'LEAD', at: '2024-02-01T09:00:00.000Z' },
      { type: 'deal_stage_event', externalId: 'd1#close', deal: 'd1', fromStage: 'LEAD', toStage: 'WON', at: '2024-03-01T09:00:00.000Z' },
    ]);
  }, 120_000);
});
