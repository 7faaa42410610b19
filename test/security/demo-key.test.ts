import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createServer } from '../../src/server/create-server.js';
import { createTestDatabase } from '../support/database.js';
import { testConfig } from '../support/server.js';
import type { CliServer } from '../faults/cli-process.js';
import { startCliServer } from '../faults/cli-process.js';
import { waitFor } from '../faults/helpers.js';

const key = `kpg_demokeyx_${'k'.repeat(32)}`;

describe('GraphiQL and the demo key', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.close());

  const page = async (nodeEnv: 'development' | 'production', remoteAddress?: string) => {
    const server = createServer({ db: { ...db, close: () => Promise.resolve() }, config: testConfig({ NODE_ENV: nodeEnv }), graphiqlKey: key });
    const serverContext = remoteAddress ? { req: { socket: { remoteAddress } } } : {};
    const response = await server.yoga.fetch('http://kpigraph.test/graphql', { headers: { accept: 'text/html' } }, serverContext as never);
    return { status: response.status, html: await response.text() };
  };

  it('embeds the key only in pages served to the loopback address', async () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect((await page('development', address)).html, address).toContain(key);
    for (const address of ['203.0.113.7', '::ffff:10.0.0.2', '192.168.1.4', undefined]) {
      const { status, html } = await page('development', address);
      expect(status).toBe(200);
      expect(html, String(address)).toContain('kpigraph');
      expect(html, String(address)).not.toContain(key);
    }
  });

  it('serves no GraphiQL in production', async () => {
    expect((await page('production', '127.0.0.1')).html).not.toContain(key);
  });
});

describe('kpigraph serve on the embedded demo', () => {
  let production: CliServer | undefined;
  afterAll(async () => production?.kill());

  it('mints and prints no key in production', async () => {
    production = await startCliServer({ NODE_ENV: 'production', DEMO_DATA: 'true', DEMO_DEALS: '30', KPIGRAPH_DATA_DIR: 'memory://' }, 60_000);
    // /health can answer before the log line that follows listen() reaches the pipe.
    const server = production;
    await waitFor('the serving line', () => Promise.resolve(/serving GraphQL/.test(server.output())), 20_000);
    expect(production.output()).not.toMatch(/kpg_|Demo API key/);
    const html = await (await fetch(`${production.baseUrl}/graphql`, { headers: { accept: 'text/html' } })).text();
    expect(html).not.toMatch(/kpg_/);
  }, 90_000);
});
