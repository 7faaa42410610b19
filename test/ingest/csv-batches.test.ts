import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvLayout } from '../../src/ingest/csv-batches.js';
import { CsvCutter, checkCsvBatch, readCsvLayout, readCsvRecords } from '../../src/ingest/csv-batches.js';
import type { LineBatch } from '../../src/ingest/file-batches.js';
import { RecordTooLongError, recordBatches } from '../../src/ingest/file-batches.js';
import { recordTypes } from '../../src/ingest/record-types.js';
import { TimestampReader } from '../../src/ingest/values.js';
import { tempDir, writeFiles } from './helpers.js';

/** What the streaming path's csv-parse makes of records after a header: each record and its line. */
function csvParse(text: string, columns: string[], crlf: boolean): { records: Record<string, string>[]; lines: number[] } {
  const rows = parse(text, { columns, record_delimiter: crlf ? '\r\n' : '\n', skip_empty_lines: true, info: true }) as { record: Record<string, string>; info: { lines: number } }[];
  return { records: rows.map((row) => row.record), lines: rows.map((row) => row.info.lines) };
}

// A small linear congruential generator: the same corpus on every run.
function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor((state / 2_147_483_648) * n);
  };
}

/** Valid CSV of `rows` records: fields with commas, quotes, line breaks, multi-byte characters, empty ones; empty lines between. */
function corpus(seed: number, rows: number, width: number, crlf: boolean, finalNewline: boolean): string {
  const random = generator(seed);
  const pieces = ['a', 'Acme', ' ', ',', '"', '\n', 'é', '😀', '', '12.50', 'x y'];
  const end = crlf ? '\r\n' : '\n';
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    if (random(5) === 0) lines.push('');
    const fields: string[] = [];
    for (let f = 0; f < width; f++) {
      let value = '';
      for (let k = random(4); k > 0; k--) value += pieces[random(pieces.length)];
      const special = /[",\n]/.test(value);
      fields.push(special || random(4) === 0 ? `"${value.replaceAll('"', '""')}"` : value);
    }
    // A record of one empty field would be an empty line, which csv-parse skips.
    if (width === 1 && fields[0] === '') fields[0] = '""';
    lines.push(fields.join(','));
  }
  return lines.join(end) + (finalNewline ? end : '');
}

describe('reading CSV records', () => {
  it('reads records and their last lines as written out by hand', () => {
    const text = 'd1,"Deal, one",10.50\n\n"d2","say ""hi""\nand more",\n"",x,"3"';
    expect(readCsvRecords(text, ['id', 'title', 'amount'], false)).toEqual({
      records: [
        { id: 'd1', title: 'Deal, one', amount: '10.50' },
        { id: 'd2', title: 'say "hi"\nand more', amount: '' },
        { id: '', title: 'x', amount: '3' },
      ],
      lines: [1, 4, 5],
    });
  });

  it('reads \\r\\n records, where a lone \\n inside quotes is a line of its own', () => {
    expect(readCsvRecords('a,"b\nc"\r\n\r\nd,e\r\n', ['x', 'y'], true)).toEqual({
      records: [
        { x: 'a', y: 'b\nc' },
        { x: 'd', y: 'e' },
      ],
      lines: [2, 4],
    });
  });

  it('gives the records and lines csv-parse gives, on 400 generated files of every shape', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const width = 1 + (seed % 4);
      const crlf = seed % 2 === 0;
      const text = corpus(seed, 1 + (seed % 30), width, crlf, seed % 3 !== 0);
      const columns = Array.from({ length: width }, (_, i) => `c${i}`);
      expect(readCsvRecords(text, columns, crlf), `seed ${seed}: ${JSON.stringify(text)}`).toEqual(csvParse(text, columns, crlf));
    }
  });

  it('leaves to csv-parse what it would refuse or read otherwise', () => {
    const columns = ['a', 'b'];
    // [text, \r\n records, csv-parse's verdict]
    const cases: [string, boolean, 'refuses' | 'reads'][] = [
      ['x"y,1\n', false, 'refuses'], // a quote inside an unquoted field
      ['"x"y,1\n', false, 'refuses'], // text after a closing quote
      ['"x,1\n', false, 'refuses'], // a quote never closed
      ['1,2,3\n', false, 'refuses'], // too many fields
      ['1\n', false, 'refuses'], // too few
      ['1,2\r\n3,4\n', false, 'reads'], // a \r in a \n file is data
      ['1,2\n3,4\r\n', true, 'refuses'], // a lone \n in a \r\n file is data, which leaves 3 fields
    ];
    for (const [text, crlf, verdict] of cases) {
      expect(readCsvRecords(text, columns, crlf), JSON.stringify(text)).toBeNull();
      if (verdict === 'refuses') expect(() => csvParse(text, columns, crlf), JSON.stringify(text)).toThrow();
      else expect(() => csvParse(text, columns, crlf)).not.toThrow();
    }
  });
});

describe('CSV batches', () => {
  let folder: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    folder = await tempDir();
  });
  afterAll(async () => {
    await folder?.remove();
  });

  const collect = async (file: string, layout: CsvLayout, size: number, maxPending?: number): Promise<LineBatch[]> => {
    const batches: LineBatch[] = [];
    const reading = { size, start: layout.headerBytes, firstLine: 2, ...(maxPending === undefined ? {} : { maxPending }) };
    for await (const batch of recordBatches(file, new CsvCutter(layout.crlf), reading, () => undefined)) batches.push(batch);
    return batches;
  };
  const text = (batch: LineBatch): string => Buffer.from(batch.bytes).toString('utf8');

  it('read the header: names trimmed and unquoted, the byte order mark and the record ending', async () => {
    const [plain, crlf, bom, quotedBreak, crOnly, empty, noEnd] = await writeFiles(folder.dir, {
      'plain.csv': ' externalId ,"name, full"\n1,2\n',
      'crlf.csv': 'a,b\r\n1,2\r\n',
      'bom.csv': '\ufeffa,b\n1,2\n',
      'quoted-break.csv': '"a\nb",c\n1,2\n',
      'cr-only.csv': 'a,b\r1,2\r',
      'empty.csv': '',
      'no-end.csv': 'a,b',
    });
    expect(await readCsvLayout(plain!)).toEqual({ columns: ['externalId', 'name, full'], crlf: false, headerBytes: 26 });
    expect(await readCsvLayout(crlf!)).toEqual({ columns: ['a', 'b'], crlf: true, headerBytes: 5 });
    expect(await readCsvLayout(bom!)).toEqual({ columns: ['a', 'b'], crlf: false, headerBytes: 7 });
    // Left to the streaming path.
    for (const file of [quotedBreak, crOnly, empty, noEnd]) expect(await readCsvLayout(file!), file).toBeNull();
  });

  it('end only where records end, at every read size: quoted line breaks, doubled quotes, \\r\\n with a lone \\n inside a field', async () => {
    for (const crlf of [false, true]) {
      const body = `${corpus(7, 40, 3, crlf, true)}${crlf ? 'x\ny,"z\r\n",w\r\n' : ''}`;
      const [file] = await writeFiles(folder.dir, { [`cut-${crlf}.csv`]: `c0,c1,c2${crlf ? '\r\n' : '\n'}${body}` });
      const layout = (await readCsvLayout(file!))!;
      // csv-parse reading the whole body is the reference the batches are held to.
      const whole = csvParse(body, layout.columns, crlf);
      for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
        const batches = await collect(file!, layout, size);
        expect(batches.map(text).join(''), `size ${size}`).toBe(body);
        const records: Record<string, string>[] = [];
        let next = 2;
        for (const batch of batches) {
          expect(batch.firstLine).toBe(next);
          next += batch.lineCount;
          const read = readCsvRecords(text(batch), layout.columns, crlf) ?? csvParse(text(batch), layout.columns, crlf);
          records.push(...read.records);
        }
        expect(records, `size ${size}`).toEqual(whole.records);
        expect(next - 2).toBe(body.split('\n').length - 1);
      }
    }
  });

  it('refuse to hold a record longer than the limit (a quote left open holds the rest of the file)', async () => {
    const [file] = await writeFiles(folder.dir, { 'open.csv': `a,b\n1,2\n"3,4\n${'5,6\n'.repeat(100)}` });
    const layout = (await readCsvLayout(file!))!;
    await expect(collect(file!, layout, 16, 200)).rejects.toThrow(new RecordTooLongError('a record at line 3 runs past 200 bytes'));
  });

  it('a checked batch holds COPY lines with seqs from its place, each problem with its line, and csv-parse reads what the fast reader leaves', () => {
    const layout: CsvLayout = { columns: ['externalId', 'name', 'email'], crlf: false, headerBytes: 0 };
    const bytes = new TextEncoder().encode('u1,"Ada\nLovelace",ada@example.com\n\nu2,Bob,not-an-email\nu3,Cy\r,cy@example.com\n');
    const checked = checkCsvBatch({ firstLine: 10, lineCount: 5, bytes, type: 'user', layout }, { source: 3, firstSeq: 501 }, new TimestampReader('UTC'));
    const user = recordTypes.indexOf('user');
    expect(checked.formatError).toBeUndefined();
    expect(checked.rows[user]).toBe(3);
    expect(checked.rejected[user]).toBe(1);
    expect(checked.problems.map((p) => `${p.line} ${p.field}`)).toEqual(['13 email']);
    // The \r makes this batch csv-parse's (a \r in a \n file is data: the name rule trims it); lines are still the editor's.
    expect(new TextDecoder().decode(checked.copies[user])).toBe('501\t3\t11\tu1\tAda\\nLovelace\tada@example.com\t\\N\t\\N\t\\N\n503\t3\t14\tu3\tCy\tcy@example.com\t\\N\t\\N\t\\N\n');
  });

  it('a batch csv-parse refuses is reported as not readable, with its message', () => {
    const layout: CsvLayout = { columns: ['externalId', 'name'], crlf: false, headerBytes: 0 };
    const bytes = new TextEncoder().encode('u1,Ada\nu2,B"ob\n');
    const checked = checkCsvBatch({ firstLine: 2, lineCount: 2, bytes, type: 'user', layout }, { source: 0, firstSeq: 1 }, new TimestampReader('UTC'));
    expect(checked.formatError).toMatch(/^Invalid Opening Quote/);
    expect(checked.staged.every((n) => n === 0)).toBe(true);
    expect(checked.copies.every((bytes) => bytes.byteLength === 0)).toBe(true);
  });
});
