import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { printedSchema, schemaFile } from '../../src/graphql/print.js';

describe('schema/schema.graphql', () => {
  it('is the printed schema of the code (run npm run schema:print after an API change)', async () => {
    const committed = await readFile(schemaFile, 'utf8');
    expect(committed).toBe(printedSchema());
  });
});
