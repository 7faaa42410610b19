import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { filesFeed } from '../../src/ingest/file-feed.js';
import { importRecords } from '../../src/ingest/importer.js';
import type { ImportReport } from '../../src/ingest/report.js';
import { createTestDatabase } from '../support/database.js';
import { createWorkspace, tempDir, writeFiles } from './helpers.js';

/** NDJSON with every kind of line: records of several types, blank lines, CRLF, bad JSON, unknown types and invalid rows. */
function ndjsonFile(deals: number): string {
  const lines = [
    JSON.stringify({ type: 'user', externalId: 'u1', name: 'Ada', email: 'ada@example.com' }),
    JSON.stringify({ type: 'customer', externalId: 'c1', name: 'Acme', industry: 'software', region: 'DE', channel: 'search', createdAt: '2024-01-10 09:00' }),
    '',
  ];
  for (let i = 1; i <= deals; i++) {
    const won = i % 2 === 0;
    const deal = { type: 'deal', externalId: `d${i}`, customer: 'c1', owner: 'u1', title: `Deal ${i}\twith a tab`, amount: `${i}.25`, stage: won ? 'WON' : 'LEAD', productLine: 'core', createdAt: '2024-03-01 10:00', ...(won ? { closedAt: '2024-03-31 23:30' } : {}) };
    if (i === 777) lines.push('{"type": "deal", "externalId": ');
    else if (i === 1500) lines.push(JSON.stringify({ type: 'gadget', externalId: 'g1' }));
    else if (i === 2222) lines.push(JSON.stringify({ ...deal, amount: '-5.00' }));
    else if (i === 3001) lines.push(`${JSON.stringify(deal)}\r`);
    else lines.push(JSON.stringify(deal));
  }
  return `${lines.join('\n')}\n`;
}

describe('NDJSON checked by parse workers', () => {
  let db: Database;
  let folder: Awaited<ReturnType<typeof tempDir>>;
  let file: string;
  const run = async (parseWorkers: number, dryRun = true): Promise<ImportReport> => {
    const workspaceId = await createWorkspace(db, 'Europe/Berlin');
    return importRecords(db, { workspaceId, dryRun, chunkRows: 500 }, filesFeed([{ file, format: 'ndjson' }], { parseWorkers, batchBytes: 20_000 }));
  };
  /** A report without its timing, for comparing runs. */
  const comparable = ({ elapsedMs: _elapsed, ...report }: ImportReport) => report;

  beforeAll(async () => {
    db = await createTestDatabase();
    folder = await tempDir();
    file = (await writeFiles(folder.dir, { 'sync.ndjson': ndjsonFile(4_500) }))[0]!;
  });
  afterAll(async () => {
    await folder?.remove();
    await db?.close();
  });

  it('reports the same rows, rejections and lines as checking in the importing thread', async () => {
    const here = await run(0);
    const workers = await run(2);
    expect(comparable(workers)).toEqual(comparable(here));
    expect(here.rejections.map((r) => `${r.source}:${r.line} ${r.type ?? '-'} ${r.field}`)).toEqual([
      'sync.ndjson:780 - line',
      'sync.ndjson:1503 - type',
      'sync.ndjson:2225 deal amount',
    ]);
    expect(here.types.find((t) => t.type === 'deal')).toMatchObject({ rows: 4_498, rejected: 1 });
  });

  it('writes the same records', async () => {
    const withSkip = async (parseWorkers: number) => {
      const workspaceId = await createWorkspace(db, 'Europe/Berlin');
      await importRecords(db, { workspaceId, skipInvalid: true, chunkRows: 500, writeChunkSeqs: 1_000 }, filesFeed([{ file, format: 'ndjson' }], { parseWorkers, batchBytes: 20_000 }));
      const { rows } = await db.query<{ row: string }>(
        `SELECT string_agg(concat_ws('|', "externalId", title, amount, stage, "createdAt", "closedAt"), ',' ORDER BY id) AS row FROM "Deal" WHERE "workspaceId" = $1`,
        [workspaceId],
      );
      return rows[0]!.row;
    };
    const here = await withSkip(0);
    expect(await withSkip(3)).toBe(here);
    expect(here).toContain('d3001|Deal 3001\twith a tab|3001.25|LEAD|');
  });
});
