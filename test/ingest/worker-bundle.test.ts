import { readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkJob } from '../../src/ingest/parse-job.js';
import type { ParseJob } from '../../src/ingest/parse-job.js';
import { ParsePool } from '../../src/ingest/parse-pool.js';
import { recordTypes } from '../../src/ingest/record-types.js';
import { TimestampReader } from '../../src/ingest/values.js';
import { bundleFor, parseWorkerUrl, tsxWorkerBoot } from '../../src/ingest/worker-bundle.js';
import { tempDir } from './helpers.js';

describe('the parse worker bundle', () => {
  let folder: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    folder = await tempDir();
  });
  afterAll(async () => {
    await folder?.remove();
  });

  /** A two-module TypeScript entry whose export says which version of `part.ts` it was built from. */
  async function writeEntry(dir: string, version: number): Promise<string> {
    await writeFile(path.join(dir, 'part.ts'), `export const version: number = ${version};\n`);
    const entry = path.join(dir, 'entry.ts');
    await writeFile(entry, `import { version } from './part.ts';\nexport const seen: string = \`v\${version}\`;\n`);
    // Written a minute ago: a file written while a build reads it makes the build leave no manifest.
    const before = new Date(Date.now() - 60_000);
    for (const file of ['part.ts', 'entry.ts']) await utimes(path.join(dir, file), before, before);
    return entry;
  }
  const load = async (file: string): Promise<string> => ((await import(`${pathToFileURL(file).href}?t=${Date.now()}`)) as { seen: string }).seen;

  it('is built once and reused while the files it was built from are unchanged', async () => {
    const cache = path.join(folder.dir, 'cache-a');
    const entry = await writeEntry(folder.dir, 1);
    const first = await bundleFor(entry, cache);
    expect(first.built).toBe(true);
    expect(await load(first.file)).toBe('v1');
    const manifest = JSON.parse(await readFile(path.join(cache, 'entry.json'), 'utf8')) as { inputs: Record<string, unknown> };
    expect(Object.keys(manifest.inputs).map((input) => path.basename(input)).sort()).toEqual(['entry.ts', 'part.ts']);
    expect(await bundleFor(entry, cache)).toEqual({ file: first.file, built: false });
  });

  it('is built again when a file it was built from changes, even to an older modification time', async () => {
    const cache = path.join(folder.dir, 'cache-b');
    const entry = await writeEntry(folder.dir, 2);
    await bundleFor(entry, cache);
    // Same length, older mtime: what a `git checkout` of another version can leave.
    await writeFile(path.join(folder.dir, 'part.ts'), 'export const version: number = 3;\n');
    const past = new Date(Date.now() - 86_400_000);
    await utimes(path.join(folder.dir, 'part.ts'), past, past);
    const again = await bundleFor(entry, cache);
    expect(again.built).toBe(true);
    expect(await load(again.file)).toBe('v3');
  });

  it('leaves no manifest when a file it was built from was written during the build, so the next call builds again', async () => {
    const cache = path.join(folder.dir, 'cache-d');
    const entry = await writeEntry(folder.dir, 4);
    const now = new Date(Date.now() + 60_000);
    await utimes(path.join(folder.dir, 'part.ts'), now, now);
    expect((await bundleFor(entry, cache)).built).toBe(true);
    expect((await bundleFor(entry, cache)).built).toBe(true);
  });

  it('fails to build a broken entry, so that workers fall back to booting through tsx', async () => {
    const entry = path.join(folder.dir, 'broken.ts');
    await writeFile(entry, 'export const = ;\n');
    await expect(bundleFor(entry, path.join(folder.dir, 'cache-c'))).rejects.toThrow();
  });

  it('gives the parse workers a plain JavaScript module', async () => {
    const url = await parseWorkerUrl();
    expect(url.pathname).toMatch(/node_modules\/\.cache\/kpigraph\/parse-worker\.mjs$/);
    expect(await readFile(url, 'utf8')).toContain('parentPort');
  });

  it.each([
    ['the bundle', parseWorkerUrl],
    ['tsx (the fallback)', async () => tsxWorkerBoot],
  ])('starts workers from %s that check a batch as the importing thread does', async (_start, entry) => {
    const lines = [
      { type: 'customer', externalId: 'c1', name: 'Acme', industry: 'software', region: 'DE', channel: 'search', createdAt: '2024-01-10 09:00' },
      { type: 'deal', externalId: 'd1', customer: 'c1', title: 'Won', amount: '10.50', stage: 'WON', productLine: 'core', createdAt: '2024-03-01 10:00', closedAt: '2024-03-31 23:30' },
      { type: 'deal', externalId: 'd2', customer: 'c1', title: 'Bad', amount: '-1.00', stage: 'LEAD', productLine: 'core', createdAt: '2024-03-01 10:00' },
    ].map((row) => JSON.stringify(row));
    const job = (): ParseJob => ({ format: 'ndjson', batch: { bytes: new TextEncoder().encode(`${lines.join('\n')}\n`), firstLine: 1, lineCount: 3, fallbackType: null } });
    const place = { source: 0, firstSeq: 10 };
    const pool = new ParsePool(1, 'Europe/Berlin', await entry());
    try {
      const checked = await pool.check(job(), place);
      expect(checked).toEqual(checkJob(job(), place, new TimestampReader('Europe/Berlin')));
      const deal = recordTypes.indexOf('deal');
      expect(checked.problems).toEqual([{ line: 3, type: deal, field: 'amount', reason: expect.stringMatching(/non-negative/) }]);
      expect([checked.rows[deal], checked.staged[deal], checked.rejected[deal], checked.lastSeq[deal]]).toEqual([2, 1, 1, 11]);
      // Seq 11 (the batch's second line), source 0, line 2, then the row: 10.50, and 23:30 in Berlin on 31 March,
      // hours after the change to summer time, at +02:00.
      const copy = new TextDecoder().decode(checked.copies[deal]);
      expect(copy).toMatch(/^11\t0\t2\td1\tc1\t/);
      expect(copy).toContain('\t10.50\t');
      expect(copy).toContain('2024-03-31 23:30:00.000+02:00');
    } finally {
      await pool.close();
    }
  });
});
