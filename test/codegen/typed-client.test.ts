import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The typed client of examples/client-ts, generated as a frontend would
 * (`npm run codegen` with CODEGEN_DOCUMENTS and CODEGEN_OUT) into a fresh
 * folder, must compile against today's schema and KPI registry: a renamed
 * field, type or enum value the operations use breaks this test.
 */
const run = promisify(execFile);
const example = path.resolve('examples/client-ts');
let folder: string;

async function codegen(documents: string, out: string) {
  return run('npm', ['run', '--silent', 'codegen'], { env: { ...process.env, CODEGEN_DOCUMENTS: documents, CODEGEN_OUT: `${out}/` } });
}

async function typecheck(): Promise<{ code: number; output: string }> {
  try {
    await run('npx', ['tsc', '-p', path.join(folder, 'tsconfig.json')]);
    return { code: 0, output: '' };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

beforeAll(async () => {
  await mkdir('tmp', { recursive: true });
  folder = await mkdtemp(path.resolve('tmp/typed-client-'));
  await codegen(path.join(example, 'operations/*.graphql'), path.join(folder, 'gql'));
  await copyFile(path.join(example, 'client.ts'), path.join(folder, 'client.ts'));
  // The project's compiler options; its exclude would leave out everything under tmp/.
  const tsconfig = { extends: path.resolve('tsconfig.json'), include: ['*.ts', 'gql/*.ts'], exclude: [] };
  await writeFile(path.join(folder, 'tsconfig.json'), JSON.stringify(tsconfig));
}, 120_000);
afterAll(async () => rm(folder, { recursive: true, force: true }));

describe('a typed client generated from the schema', () => {
  it('writes TypedDocumentNodes, their trusted-documents manifest and the KPI registry types', async () => {
    const manifest = JSON.parse(await readFile(path.join(folder, 'gql/persisted-documents.json'), 'utf8')) as Record<string, string>;
    expect(Object.values(manifest).map((document) => /^query (\w+)/.exec(document)?.[1]).sort()).toEqual(['CustomerDeals', 'DealsPage', 'KpiCard']);
    const registry = await readFile(path.join(folder, 'gql/kpi-registry.ts'), 'utf8');
    expect(registry).toBe(await readFile('schema/kpi-registry.ts', 'utf8'));
  });

  it('compiles with tsc, results and variables typed from the schema', async () => {
    const { code, output } = await typecheck();
    expect(output).toBe('');
    expect(code).toBe(0);
  }, 120_000);

  it('fails to compile code that misreads a result or a KPI’s params', async () => {
    await writeFile(
      path.join(folder, 'misuse.ts'),
      [
        "import type { DealsPageQuery } from './gql/graphql.js';",
        "import type { KpiParams } from './gql/kpi-registry.js';",
        'export const count = (page: DealsPageQuery): string => page.deals.totalCount;',
        "export const params: KpiParams['stage_conversion'] = { stage: 'WON' };",
        '',
      ].join('\n'),
    );
    try {
      const { code, output } = await typecheck();
      expect(code).not.toBe(0);
      // totalCount is an Int; stage_conversion follows entrants of an open stage only.
      expect(output).toMatch(/misuse\.ts\(3,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
      expect(output).toMatch(/misuse\.ts\(4,\d+\): error TS2322: Type '"WON"' is not assignable/);
    } finally {
      await rm(path.join(folder, 'misuse.ts'));
    }
  }, 120_000);

  it('refuses to generate an operation the schema no longer answers', async () => {
    const broken = path.join(folder, 'broken');
    await mkdir(broken);
    await writeFile(path.join(broken, 'old.graphql'), 'query Old { deals { count } }\n');
    // Under NODE_ENV=test the codegen CLI prints only that it failed, not why.
    const env = { ...process.env, NODE_ENV: 'development', CODEGEN_DOCUMENTS: path.join(broken, '*.graphql'), CODEGEN_OUT: path.join(broken, 'gql/') };
    const failure = await run('npx', ['graphql-codegen', '--config', 'codegen.ts'], { env }).then(
      () => null,
      (error: { stdout: string; stderr: string }) => error.stdout + error.stderr,
    );
    expect(failure).toMatch(/Cannot query field "count" on type "DealConnection"/);
  }, 120_000);
});
