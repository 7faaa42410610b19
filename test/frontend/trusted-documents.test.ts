import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../support/database.js';
import { createTestClient } from '../support/server.js';
import type { TestClient } from '../support/server.js';

const out = path.resolve('tmp/codegen-trusted/');
const operations = path.resolve('schema/operations');

describe('trusted documents (PERSISTED_OPERATIONS=only)', () => {
  let db: Database;
  let client: TestClient;
  let manifest: Record<string, string>;
  beforeAll(async () => {
    execFileSync('npx', ['graphql-codegen', '--config', 'codegen.ts'], { env: { ...process.env, CODEGEN_OUT: `${out}/` }, stdio: 'pipe' });
    manifest = JSON.parse(readFileSync(path.join(out, 'persisted-documents.json'), 'utf8')) as Record<string, string>;
    db = await createTestDatabase();
    const { id: workspaceId } = await db.prisma.workspace.create({ data: { name: 'trusted', timeZone: 'UTC' } });
    client = createTestClient(db, workspaceId, { PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: path.join(out, 'persisted-documents.json') });
  }, 120_000);
  afterAll(async () => {
    await db.close();
  });

  it('has every operation of schema/operations in the manifest codegen writes', () => {
    expect(Object.keys(manifest)).toHaveLength(readdirSync(operations).filter((file) => file.endsWith('.graphql')).length);
  });

  it('refuses a document outside the manifest with a clear error, and runs nothing', async () => {
    const result = await client.execute('{ workspace { name } }');
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toMatch(/trusted documents only/);
    expect(result.errors?.[0]?.extensions?.['code']).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('runs a trusted operation sent as its text (as the CLI sends it) or by hash; refuses an unknown hash', async () => {
    const text = readFileSync(path.join(operations, 'cli-workspace.graphql'), 'utf8');
    const byText = await client.execute<{ workspace: { timeZone: string } }>(text);
    expect(byText.errors).toBeUndefined();
    expect(byText.data?.workspace.timeZone).toBe('UTC');
    const hash = Object.entries(manifest).find(([, document]) => document.includes('query CliWorkspace'))![0];
    const response = await client.server.yoga.fetch('http://kpigraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await client.key()}` },
      body: JSON.stringify({ documentId: hash }),
    });
    expect(((await response.json()) as { data: { workspace: { timeZone: string } } }).data.workspace.timeZone).toBe('UTC');
    const unknown = await client.server.yoga.fetch('http://kpigraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await client.key()}` },
      body: JSON.stringify({ documentId: 'sha256:0000' }),
    });
    expect(((await unknown.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/No trusted document has this hash/);
  });

  it('accepts the text of every CLI operation', async () => {
    for (const file of readdirSync(operations).filter((name) => name.startsWith('cli-'))) {
      const result = await client.execute(readFileSync(path.join(operations, file), 'utf8'));
      expect(result.errors?.map((error) => error.extensions?.['code']) ?? [], file).not.toContain('PERSISTED_QUERY_NOT_FOUND');
    }
  });
});
