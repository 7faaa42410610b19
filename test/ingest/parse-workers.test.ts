import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { FeedOptions } from '../../src/ingest/file-feed.js';
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

/** CSV with what makes batches hard: quoted line breaks, quotes and commas, empty lines, CRLF, and invalid rows. */
function csvFile(deals: number, end: string): string {
  const lines = ['externalId,customer,owner,title,amount,stage,productLine,createdAt,closedAt'];
  for (let i = 1; i <= deals; i++) {
    const won = i % 2 === 0;
    const title = i % 7 === 0 ? `"Deal ${i}, ""big""${end}second line"` : `Deal ${i}`;
    const amount = i === 2222 ? '-5.00' : `${i}.25`;
    if (i % 500 === 0) lines.push('');
    lines.push([`d${i}`, i === 1500 ? 'nobody' : 'c1', 'u1', title, amount, won ? 'WON' : 'LEAD', 'core', '2024-03-01 10:00', won ? '2024-03-31 23:30' : ''].join(','));
  }
  return `${lines.join(end)}${end}`;
}

describe('CSV checked in batches, here and by parse workers', () => {
  let db: Database;
  let folder: Awaited<ReturnType<typeof tempDir>>;
  let files: string[];
  const comparable = ({ elapsedMs: _elapsed, ...report }: ImportReport) => report;
  const run = async (file: string, feed: FeedOptions, skipInvalid = false): Promise<{ report: ImportReport; deals: string }> => {
    const workspaceId = await createWorkspace(db, 'Europe/Berlin');
    await importRecords(db, { workspaceId }, filesFeed([{ file: files[0]!, format: 'ndjson' }]));
    const report = await importRecords(db, { workspaceId, skipInvalid, chunkRows: 500, writeChunkSeqs: 1_000 }, filesFeed([{ file, format: 'csv', type: 'deal' }], { batchBytes: 20_000, ...feed }));
    const { rows } = await db.query<{ row: string | null }>(
      `SELECT string_agg(concat_ws('|', "externalId", title, amount, stage, "createdAt", "closedAt"), ',' ORDER BY id) AS row FROM "Deal" WHERE "workspaceId" = $1`,
      [workspaceId],
    );
    return { report, deals: rows[0]!.row ?? '' };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    folder = await tempDir();
    files = await writeFiles(folder.dir, {
      'people.ndjson': [
        JSON.stringify({ type: 'user', externalId: 'u1', name: 'Ada', email: 'ada@example.com' }),
        JSON.stringify({ type: 'customer', externalId: 'c1', name: 'Acme', industry: 'software', region: 'DE', channel: 'search', createdAt: '2024-01-10 09:00' }),
      ].join('\n'),
      'lf.csv': csvFile(4_500, '\n'),
      'crlf.csv': csvFile(4_500, '\r\n'),
      'broken.csv': csvFile(4_500, '\n').replace('\nd3333,c1,u1,Deal 3333,', '\nd3333,c1,u1,Deal "3333",'),
    });
  });
  afterAll(async () => {
    await folder?.remove();
    await db?.close();
  });

  // Lines as an editor shows them: every seventh deal has a title of two lines, and an empty line comes before every 500th.
  const line = (deal: number): number => 1 + deal + Math.floor(deal / 7) + Math.floor(deal / 500);
  /** Rejections without their lines. */
  const unlined = (report: ImportReport) => ({ ...comparable(report), rejections: report.rejections.map(({ line: _line, ...rest }) => rest) });

  it('reports and writes what reading the file as one stream does, with the lines an editor shows', async () => {
    for (const file of [files[1]!, files[2]!]) {
      const crlf = file.endsWith('crlf.csv');
      const streamed = await run(file, { streamCsv: true }, true);
      const here = await run(file, { parseWorkers: 0 }, true);
      const workers = await run(file, { parseWorkers: 2 }, true);
      expect(comparable(workers.report)).toEqual(comparable(here.report));
      expect(unlined(here.report)).toEqual(unlined(streamed.report));
      expect(here.deals).toBe(streamed.deals);
      expect(workers.deals).toBe(streamed.deals);
      expect(here.report.rejections.map((r) => `${r.line} ${r.field}`)).toEqual([`${line(1500)} customer`, `${line(2222)} amount`]);
      // csv-parse's own count, which the stream keeps, takes a quoted line break written \r\n for two lines.
      expect(streamed.report.rejections.map((r) => r.line)).toEqual(crlf ? [line(1500) + 214, line(2222) + 317] : [line(1500), line(2222)]);
      expect(here.report.types.find((t) => t.type === 'deal')).toMatchObject({ rows: 4_500, rejected: 2, inserted: 4_498 });
      expect(here.deals).toContain(`d7|Deal 7, "big"${crlf ? '\r\n' : '\n'}second line|7.25|LEAD|`);
    }
  });

  it('refuses a file csv-parse refuses, with its message and the line in the file', async () => {
    const message = new RegExp(`broken\\.csv: not readable as CSV: Invalid Opening Quote: a quote is found on field "title" at line ${line(3333)}`);
    await expect(run(files[3]!, { streamCsv: true })).rejects.toThrow(message);
    await expect(run(files[3]!, { parseWorkers: 0 })).rejects.toThrow(message);
    await expect(run(files[3]!, { parseWorkers: 2 })).rejects.toThrow(message);
  });
});
