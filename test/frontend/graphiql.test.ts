import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createServer } from '../../src/server/create-server.js';
import { firstQuery, graphiqlOptions } from '../../src/server/graphiql.js';
import { createTestDatabase } from '../support/database.js';
import { testConfig } from '../support/server.js';

/** Addresses the page would load: attributes, CSS url() and @import, fetch() and import() of a literal. */
function loadedAddresses(html: string): string[] {
  const patterns = [
    /\b(?:src|href|action|poster|data)\s*=\s*["']?([^"'\s>]+)/gi,
    /url\(\s*["']?([^"')\s]+)/gi,
    /@import\s+["']([^"']+)/gi,
    /\b(?:fetch|import|importScripts)\(\s*["'`]([^"'`]+)/g,
  ];
  return patterns.flatMap((pattern) => [...html.matchAll(pattern)].map((match) => match[1]!));
}

describe('GraphiQL', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  const page = async (overrides: Record<string, string> = {}, graphiqlKey?: string) => {
    const server = createServer({ db, config: testConfig({ NODE_ENV: 'development', ...overrides }), ...(graphiqlKey ? { graphiqlKey } : {}) });
    return server.yoga.fetch('http://kpigraph.test/graphql', { headers: { accept: 'text/html' } });
  };

  it('is served whole from the installed packages: the page loads nothing from another host', async () => {
    const response = await page();
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(html).not.toContain('unpkg.com');
    const external = loadedAddresses(html).filter((address) => /^(?:https?:)?\/\//i.test(address));
    expect(external).toEqual([]);
  });

  it('opens on kpigraph’s first query, given as defaultQuery so that yoga’s welcome text does not replace it', async () => {
    const html = await (await page()).text();
    const options = JSON.parse(/renderYogaGraphiQL\(\s*window\.document\.querySelector\('#root'\),\s*(\{.*?\}),\s*\);/s.exec(html)![1]!) as Record<string, unknown>;
    expect(options['defaultQuery']).toBe(firstQuery);
    expect(options['query']).toBeUndefined();
    expect(options['title']).toBe('kpigraph');
    expect(firstQuery).toContain('query FirstLook');
  });

  it('pre-fills the demo key it is given, and none for a request from another machine', async () => {
    expect(graphiqlOptions('kpi_demo_key').headers).toBe(JSON.stringify({ Authorization: 'Bearer kpi_demo_key' }, null, 2));
    expect(graphiqlOptions(undefined).headers).toBeUndefined();
    expect(await (await page({}, 'kpi_demo_key')).text()).not.toContain('Bearer');
  });

  it('is not served in production', async () => {
    const response = await page({ NODE_ENV: 'production' });
    expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
  });
});
