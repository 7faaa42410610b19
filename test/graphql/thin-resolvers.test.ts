import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../src/graphql');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : Promise.resolve(entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []))));
  return nested.flat();
}

/** Top-level (unindented) declarations that build a Map or WeakMap: a cache that outlives the call. */
const moduleCache = /^(?:export\s+)?(?:const|let|var)\s+\w+(?:\s*:[^=]+)?\s*=\s*new (?:Weak)?Map\b/m;

describe('resolvers are thin', () => {
  it('no file in src/graphql makes a DataLoader or keeps a module-level Map or WeakMap', async () => {
    const files = await sourceFiles(root);
    expect(files.length).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      if (text.includes('new DataLoader(')) offenders.push(`${file}: new DataLoader(`);
      if (moduleCache.test(text)) offenders.push(`${file}: ${moduleCache.exec(text)![0]}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the scan would see one (it is not blind)', () => {
    expect(moduleCache.test('const labels = new WeakMap<object, string>();')).toBe(true);
    expect(moduleCache.test('export const known: Map<string, number> = new Map();')).toBe(true);
    expect(moduleCache.test('  const local = new Map();')).toBe(false);
  });
});
