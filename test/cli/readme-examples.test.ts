import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CliServer } from './harness.js';
import { projectRoot, runProcess, startCliServer } from './harness.js';

/**
 * Runs every command of the `sh` blocks in the README's "Scripted goal
 * queries" section against a real server, as a shell would: `kpigraph` on
 * PATH, `npx kpigraph` resolving to this package, pipes into jq.
 */
let server: CliServer;
let bin: string;

/** The section's ```sh blocks, one command per line (a trailing backslash continues it). */
export function readmeExamples(readme: string): string[] {
  const start = readme.indexOf('\n## Scripted goal queries\n');
  if (start < 0) throw new Error('README.md has no "## Scripted goal queries" section');
  const rest = readme.slice(start + 1);
  const next = rest.indexOf('\n## ', 1);
  const section = next < 0 ? rest : rest.slice(0, next);
  const commands: string[] = [];
  for (const [, block] of section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    let pending = '';
    for (const line of block!.split('\n')) {
      if (!pending && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
      pending += line.endsWith('\\') ? `${line.slice(0, -1)} ` : line;
      if (!line.endsWith('\\')) {
        commands.push(pending.trim());
        pending = '';
      }
    }
  }
  return commands;
}

beforeAll(async () => {
  server = await startCliServer();
  bin = await mkdtemp(path.join(tmpdir(), 'kpigraph-bin-'));
  const shim = path.join(bin, 'kpigraph');
  await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${path.join(projectRoot, 'bin/kpigraph.js')}" "$@"\n`);
  await chmod(shim, 0o755);
});
afterAll(async () => {
  await server?.close();
  if (bin) await rm(bin, { recursive: true, force: true });
});

it('every README example of the section runs and prints something', async () => {
  const commands = readmeExamples(await readFile(path.join(projectRoot, 'README.md'), 'utf8'));
  expect(commands.length).toBeGreaterThanOrEqual(5);
  const env = {
    ...server.env,
    PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`,
    // npx must find this package's own bin, never the registry.
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
  };
  const results = await Promise.all(commands.map((command) => runProcess('bash', ['-o', 'pipefail', '-c', command], env, 60_000)));
  results.forEach((result, index) => {
    const context = `${commands[index]}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;
    expect(result.code, context).toBe(0);
    expect(result.stdout.trim(), context).not.toBe('');
    expect(result.stderr, context).not.toMatch(/kpigraph: (?!\d+ of \d+ goal)/);
  });
}, 120_000);
