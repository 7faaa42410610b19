import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

/** Runs `script` in a fresh Node process whose module hooks report every OpenTelemetry import. */
async function otelImports(script: string, env: Record<string, string>): Promise<string[]> {
  const { OTEL_EXPORTER_OTLP_ENDPOINT: _e, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: _t, OTEL_TRACES_EXPORTER: _x, ...clean } = process.env;
  const { stderr } = await run(process.execPath, ['--import', 'tsx', '--import', './test/ops/loader/register.mjs', '--input-type=module', '-e', script], {
    cwd: root,
    env: { ...clean, ...env },
  });
  return stderr.split('\n').filter((line) => line.startsWith('imported '));
}

const boot = `
  const { startTracing, stopTracing } = await import('./src/telemetry/tracing.ts');
  await import('./src/cli/serve.ts');
  const { createServer } = await import('./src/server/create-server.ts');
  const { loadConfig } = await import('./src/config.ts');
  const db = { onStatement: () => () => undefined, prisma: {}, isReady: async () => true, close: async () => undefined };
  createServer({ db, config: loadConfig({ NODE_ENV: 'test' }), tracing: await startTracing() });
  await stopTracing();
`;

describe('tracing off', () => {
  it('loads no OpenTelemetry package at all; on, the SDK is loaded', async () => {
    expect(await otelImports(boot, {})).toEqual([]);
    const on = await otelImports(boot, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    expect(on).toContain('imported @opentelemetry/api');
    expect(on).toContain('imported @opentelemetry/sdk-trace-node');
  }, 60_000);
});
