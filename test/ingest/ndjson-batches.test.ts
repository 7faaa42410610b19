import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NdjsonBatch } from '../../src/ingest/ndjson-batches.js';
import { batchLines, checkNdjsonBatch, ndjsonBatches } from '../../src/ingest/ndjson-batches.js';
import { recordTypes } from '../../src/ingest/record-types.js';
import { TimestampReader } from '../../src/ingest/values.js';
import { tempDir, writeFiles } from './helpers.js';

/** A checked batch's COPY bytes as text. */
const copyText = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

const collect = async (file: string, size: number): Promise<NdjsonBatch[]> => {
  const batches: NdjsonBatch[] = [];
  for await (const batch of ndjsonBatches(file, null, () => undefined, size)) batches.push(batch);
  return batches;
};

describe('NDJSON batches', () => {
  let folder: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    folder = await tempDir();
  });
  afterAll(async () => {
    await folder?.remove();
  });

  it('cut only between lines: every line comes back whole, numbered, with CRLF and a last line without a newline', async () => {
    // Multi-byte characters (3 and 4 bytes) land on chunk boundaries at a 7-byte chunk size; one line is longer than a chunk.
    const lines = ['{"a":"€uro"}', '', '{"b":"😀😀😀"}\r', 'x'.repeat(40), '{"c":"ä"}', ' ', 'last'];
    const [file] = await writeFiles(folder.dir, { 'mixed.ndjson': lines.join('\n') });
    for (const size of [1, 7, 16, 1 << 20]) {
      const batches = await collect(file!, size);
      expect(batches.flatMap(batchLines), `size ${size}`).toEqual(lines.map((line) => line.replace(/\r$/, '')));
      expect(batches.reduce((n, batch) => n + batch.lineCount, 0)).toBe(lines.length);
      let next = 1;
      for (const batch of batches) {
        expect(batch.firstLine).toBe(next);
        next += batch.lineCount;
      }
    }
  });

  it('give each batch bytes of its own, so that they can move to a worker', async () => {
    const [file] = await writeFiles(folder.dir, { 'own.ndjson': 'a\nb\nc\nd\n' });
    const batches = await collect(file!, 3);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      expect(batch.bytes.byteOffset).toBe(0);
      expect(batch.bytes.buffer.byteLength).toBe(batch.bytes.byteLength);
    }
  });

  it('an empty file gives no batch', async () => {
    const [file] = await writeFiles(folder.dir, { 'empty.ndjson': '' });
    expect(await collect(file!, 16)).toEqual([]);
  });
});

describe('a checked batch', () => {
  it('holds COPY lines with seqs from its place, counts per type, and each problem with its line', () => {
    const text = [
      JSON.stringify({ type: 'user', externalId: 'u1', name: 'Ada', email: 'ada@example.com' }),
      '',
      JSON.stringify({ type: 'deal', externalId: 'd1', customer: 'c1', title: 'One\ttab', amount: '10.50', stage: 'LEAD', productLine: 'core', createdAt: '2024-02-01 09:00' }),
      '{"type": ',
      JSON.stringify({ type: 'deal', externalId: 'd2', customer: 'c1', title: 'Two', amount: '-1', stage: 'LEAD', productLine: 'core', createdAt: '2024-02-01 09:00' }),
      JSON.stringify({ type: 'deal', externalId: 'd3', customer: 'c1', title: 'Three', amount: '3', stage: 'WON', productLine: 'core', createdAt: '2024-02-01 09:00', closedAt: '2024-02-02 10:00' }),
    ].join('\n');
    const batch: NdjsonBatch = { firstLine: 41, lineCount: 6, bytes: new TextEncoder().encode(text), fallbackType: null };
    const checked = checkNdjsonBatch(batch, { source: 2, firstSeq: 1001 }, new TimestampReader('Europe/Berlin'));
    const deal = recordTypes.indexOf('deal');
    const user = recordTypes.indexOf('user');
    expect(checked.rows[deal]).toBe(3);
    expect(checked.rejected[deal]).toBe(1);
    expect(checked.staged[deal]).toBe(2);
    expect(checked.lastSeq[deal]).toBe(1006);
    expect(checked.staged[user]).toBe(1);
    expect(checked.unreadable).toBe(1);
    expect(checked.problems.map((p) => `${p.line} ${p.type} ${p.field}`)).toEqual([`44 -1 line`, `45 ${deal} amount`]);
    // seq, source, line, externalId, then the fields in declaration order; a tab in a value is escaped.
    expect(copyText(checked.copies[deal]!)).toBe(
      '1003\t2\t43\td1\tc1\t\\N\tOne\\ttab\t10.50\tLEAD\t\\N\tcore\t\\N\t2024-02-01 09:00:00.000+01:00\t\\N\t\\N\t\\N\n' +
        '1006\t2\t46\td3\tc1\t\\N\tThree\t3\tWON\t\\N\tcore\t\\N\t2024-02-01 09:00:00.000+01:00\t2024-02-02 10:00:00.000+01:00\t\\N\t\\N\n',
    );
    expect(copyText(checked.copies[user]!)).toBe('1001\t2\t41\tu1\tAda\tada@example.com\t\\N\t\\N\t\\N\n');
    // Each type's bytes have a buffer of their own, so that a worker can move them.
    for (const bytes of checked.copies) expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
  });
});
