import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createServer } from '../../src/server/create-server.js';
import { runCli } from '../cli/harness.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey, testConfig } from '../support/server.js';
import { createWorkspace, csv, tempDir, writeFiles } from './helpers.js';

// Three files, CSV and NDJSON, 7,520 rows: two requests of at most 5,000 rows each.
const users = Array.from({ length: 20 }, (_, i) => `u${i},Rep ${i},rep${i}@example.com`);
const customers = Array.from({ length: 1_500 }, (_, i) => `c${i},Customer ${i},software,DE,search,u${i % 20},2024-01-10 09:00`);
const dealHeader = 'externalId,customer,owner,title,amount,stage,productLine,createdAt,closedAt,lostReason';
/** Deal i: WON every third, closed a month after it opened (Berlin wall times); amounts summed exactly below. */
const deal = (i: number, amount = `${i}.${String(i % 100).padStart(2, '0')}`): string =>
  `d${i},c${i % 1_500},u${i % 20},Deal ${i},${amount},${i % 3 === 0 ? 'WON,core,2024-02-01 10:00,2024-03-01 10:00,' : 'LEAD,core,2024-02-01 10:00,,'}`;
const deals = Array.from({ length: 6_000 }, (_, i) => deal(i));
/** The same deals as NDJSON lines (empty cells left out). */
const ndjson = (lines: readonly string[]): string =>
  `${lines
    .map((line) => {
      const cells = line.split(',');
      const record: Record<string, string> = { type: 'deal' };
      dealHeader.split(',').forEach((name, index) => {
        if (cells[index]) record[name] = cells[index];
      });
      return JSON.stringify(record);
    })
    .join('\n')}\n`;

const summaryLine = (plural: string, counts: readonly number[]) => new RegExp(`${plural}\\s+${counts.map((n) => n.toLocaleString('en')).join('\\s+')}\\n`);

describe('kpigraph import --url --api-key: a process importing through a listening server', () => {
  let db: Database;
  let server: KpigraphServer;
  let folder: Awaited<ReturnType<typeof tempDir>>;
  let workspaceId: number;
  let args: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    workspaceId = await createWorkspace(db, 'Europe/Berlin', 'Remote import');
    const key = await mintTestKey(db, workspaceId, { role: 'EDITOR' });
    server = createServer({ db, config: testConfig() });
    const port = await server.listen(0, '127.0.0.1');
    folder = await tempDir();
    // Named out of order on purpose: the command sends CSV files in dependency order, NDJSON after them.
    const files = await writeFiles(folder.dir, {
      'deals.ndjson': ndjson(deals),
      'customers.csv': csv('externalId,name,industry,region,channel,owner,createdAt', customers),
      'users.csv': csv('externalId,name,email', users),
    });
    args = ['import', ...files, '--url', `http://127.0.0.1:${port}`, '--api-key', key];
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await folder?.remove();
  });

  it('imports CSV and NDJSON in requests of 5,000 rows, then finds every row unchanged', async () => {
    const first = await runCli(args, {}, 60_000);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(summaryLine('users', [20, 20, 0, 0, 0]));
    expect(first.stdout).toMatch(summaryLine('customers', [1_500, 1_500, 0, 0, 0]));
    expect(first.stdout).toMatch(summaryLine('deals', [6_000, 6_000, 0, 0, 0]));
    expect(first.stdout).toContain("workspace's time zone, Europe/Berlin");
    expect(first.stdout).toContain('Sent 2 request(s)');

    const [written] = (
      await db.query<{ deals: number; amount: string; events: number; closed: Date }>(
        `SELECT count(*)::int AS deals, sum(amount)::text AS amount,
          (SELECT count(*)::int FROM "DealStageEvent" WHERE "workspaceId" = $1) AS events, min("closedAt") AS closed
         FROM "Deal" WHERE "workspaceId" = $1`,
        [workspaceId],
      )
    ).rows;
    // Σ i + Σ (i mod 100)/100 over i < 6000, added as decimals: no float on the way.
    const cents = deals.reduce((n, _, i) => n + BigInt(i) * 100n + BigInt(i % 100), 0n);
    expect(written).toEqual({ deals: 6_000, amount: `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`, events: 6_000 + 2_000, closed: new Date('2024-03-01T09:00:00Z') });
    const [owners] = (await db.query<{ n: number }>(`SELECT count(DISTINCT "ownerId")::int AS n FROM "Customer" WHERE "workspaceId" = $1`, [workspaceId])).rows;
    expect(owners?.n).toBe(20);

    const again = await runCli(args, {}, 60_000);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(summaryLine('deals', [6_000, 0, 0, 6_000, 0]));
    expect(again.stdout).toMatch(summaryLine('customers', [1_500, 0, 0, 1_500, 0]));
  }, 120_000);

  it('stops at the first rejected request, naming the file and line; earlier requests stay written', async () => {
    // 5,000 good rows fill the first request; the second holds a good row and a bad one.
    const more = Array.from({ length: 5_001 }, (_, i) => deal(10_000 + i));
    more.push(deal(20_000, '-5.00'));
    const [file] = await writeFiles(folder.dir, { 'more-deals.csv': csv(dealHeader, more) });
    const result = await runCli([...args.slice(0, 1), file!, '--type', 'deals', ...args.slice(4)], {}, 60_000);
    expect(result.code).toBe(1);
    // Line 5,003: the header, 5,001 good rows, then the bad one.
    expect(result.stdout).toContain('more-deals.csv:5003: amount: must be a non-negative amount');
    expect(result.stdout).toMatch(summaryLine('deals', [5_002, 5_000, 0, 0, 1]));
    expect(result.stdout).toContain('the run stopped at the first rejected one (those before it were written)');
    const [counts] = (
      await db.query<{ first: number; second: number }>(
        `SELECT count(*) FILTER (WHERE "externalId" IN ('d10000', 'd14999'))::int AS first,
          count(*) FILTER (WHERE "externalId" IN ('d15000', 'd20000'))::int AS second FROM "Deal" WHERE "workspaceId" = $1`,
        [workspaceId],
      )
    ).rows;
    expect(counts).toEqual({ first: 2, second: 0 });
  }, 120_000);
});
