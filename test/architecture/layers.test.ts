import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The layering of docs/architecture.md, as .dependency-cruiser.cjs encodes
 * it: no import cycle, nothing below the API importing graphql/, server/ or
 * cli/, time/ importing nothing of ours, plugins importing only the SDK.
 * Runs the same command as `npm run depcheck`.
 */

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const depcruise = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = path.join(root, '.dependency-cruiser.cjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: { name: string }[];
}

/** The violations of the rules in `cwd`'s files under `roots`. */
async function violations(cwd: string, roots: readonly string[]): Promise<Violation[]> {
  // Exit status is the number of errors: the report is read either way.
  const output = await run(process.execPath, [depcruise, '--config', config, '--output-type', 'json', ...roots], { cwd, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const report = JSON.parse(output.stdout) as { summary: { violations: Violation[]; totalCruised: number } };
  expect(report.summary.totalCruised).toBeGreaterThan(0);
  return report.summary.violations;
}

const describeViolation = (v: Violation): string =>
  `${v.rule.name}: ${v.cycle ? [v.from, ...v.cycle.map((step) => step.name)].join(' → ') : `${v.from} → ${v.to}`}`;

describe('module layering', () => {
  it('has no import cycle and no arrow running back up in src/, bench/ and plugins/', async () => {
    const found = await violations(root, ['src', 'bench', 'plugins']);
    expect(found.map(describeViolation)).toEqual([]);
  }, 60_000);

  describe('the rules themselves', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'kpigraph-layers-'));
      const files: Record<string, string> = {
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
        'src/kpi/sdk.ts': "export const sdk = 1;\n",
        'src/kpi/engine.ts': "import { schema } from '../graphql/schema.js';\nexport const engine = schema;\n",
        'src/graphql/schema.ts': "export const schema = 1;\n",
        'src/goals/a.ts': "import type { B } from './b.js';\nexport interface A { b?: B }\n",
        'src/goals/b.ts': "import type { A } from './a.js';\nexport interface B { a?: A }\n",
        'src/time/zone.ts': "import { sdk } from '../kpi/sdk.js';\nexport const zone = sdk;\n",
        'plugins/good.ts': "import { sdk } from '../src/kpi/sdk.js';\nexport default sdk;\n",
        'plugins/bad.ts': "import { engine } from '../src/kpi/engine.js';\nexport default engine;\n",
      };
      for (const [file, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), text);
      }
    });
    afterAll(async () => rm(dir, { recursive: true, force: true }));

    it('catch an upward import, a type-only cycle, a base module importing a part, and a plugin past the SDK', async () => {
      const found = (await violations(dir, ['src', 'plugins'])).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
      expect(found).toEqual([
        'domain-not-up-to-api: src/kpi/engine.ts → src/graphql/schema.ts',
        'no-circular: src/goals/a.ts → src/goals/b.ts',
        'plugins-use-only-the-sdk: plugins/bad.ts → src/kpi/engine.ts',
        'time-is-a-base: src/time/zone.ts → src/kpi/sdk.ts',
      ]);
    }, 60_000);
  });
});
