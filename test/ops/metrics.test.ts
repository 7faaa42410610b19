import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createTestDatabase } from '../support/database.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import type { Family } from '../support/prometheus-text.js';
import type { TestClient } from '../support/server.js';
import { createTestClient } from '../support/server.js';
import { dashboardQuery, opsFixture } from './fixture.js';

const token = 'metrics-token-0123456789abcdef';
type Scrape = Map<string, Family>;

describe('GET /metrics on the API port, behind METRICS_TOKEN', () => {
  let db: Database;
  let client: TestClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    const { workspaceId } = await createFixture(db, opsFixture());
    client = createTestClient(db, workspaceId, { METRICS_TOKEN: token, RATE_LIMIT_PER_MINUTE: '0' });
    await client.execute('query Warm { __typename }');
  });
  afterAll(async () => db.close());

  const scrape = async (): Promise<Scrape> => {
    const response = await client.server.yoga.fetch('http://kpigraph.test/metrics', { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await response.text());
  };
  const delta = (before: Scrape, after: Scrape, name: string, labels: Record<string, string> = {}) =>
    sampleValue(after, name, labels) - sampleValue(before, name, labels);

  it('refuses a scrape without the token, or with another one, with 401', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer not-the-metrics-token-at-all' }, { authorization: token }];
    for (const headers of attempts) {
      const response = await client.server.yoga.fetch('http://kpigraph.test/metrics', { headers });
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain('kpigraph_');
    }
  });

  it('after a dashboard request shows the request, its latency, its 36 KPI cells and its statements by source, in valid exposition format', async () => {
    const before = await scrape();
    const prismaStatements: string[] = [];
    const stop = db.onStatement((event) => (event.source === 'prisma' ? prismaStatements.push(event.sql) : 0));
    const result = await client.execute(dashboardQuery);
    stop();
    expect(result.errors).toBeUndefined();
    const after = await scrape();

    expect(delta(before, after, 'kpigraph_graphql_requests_total', { operation: 'Dashboard', outcome: 'ok' })).toBe(1);
    expect(delta(before, after, 'kpigraph_graphql_request_duration_seconds_count', { operation: 'Dashboard' })).toBe(1);
    expect(delta(before, after, 'kpigraph_graphql_request_duration_seconds_bucket', { operation: 'Dashboard', le: '+Inf' })).toBe(1);
    expect(delta(before, after, 'kpigraph_graphql_request_duration_seconds_sum', { operation: 'Dashboard' })).toBeGreaterThan(0);
    // Three KPIs × 12 months, each month one cell grouped by team.
    for (const kpi of ['won_revenue', 'win_rate', 'new_customers']) expect(delta(before, after, 'kpigraph_kpi_cells_total', { kpi })).toBe(12);
    expect(delta(before, after, 'kpigraph_dataloader_batch_size_sum', { loader: 'kpi' })).toBe(36);
    expect(delta(before, after, 'kpigraph_dataloader_batch_size_count', { loader: 'kpi' })).toBe(1);
    // One statement per KPI source; the API's own reads (key, team names) are "records".
    expect(delta(before, after, 'kpigraph_sql_statement_duration_seconds_count', { source: 'deals' })).toBe(1);
    expect(delta(before, after, 'kpigraph_sql_statement_duration_seconds_count', { source: 'customers' })).toBe(1);
    expect(delta(before, after, 'kpigraph_sql_statement_duration_seconds_count', { source: 'records' })).toBe(prismaStatements.length);
    expect(delta(before, after, 'kpigraph_sql_statement_duration_seconds_sum', { source: 'deals' })).toBeGreaterThan(0);
    // Process metrics: memory and event-loop lag.
    expect(sampleValue(after, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    expect(after.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    expect(after.get('kpigraph_result_cache_requests_total')?.type).toBe('counter');
  });

  it('counts errors by extensions.code and refusals as "refused"', async () => {
    const before = await scrape();
    const unknown = await client.execute('query Broken { kpis(keys: ["no_such_kpi"]) { key } }');
    expect(unknown.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const invalid = await client.execute('query Invalid { noSuchField }');
    expect(invalid.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: teams { name }`).join(' ');
    const refused = await client.execute(`query Many { ${aliases} }`);
    expect(refused.status).toBe(400);
    const after = await scrape();
    expect(delta(before, after, 'kpigraph_graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBe(1);
    expect(delta(before, after, 'kpigraph_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(delta(before, after, 'kpigraph_graphql_requests_total', { operation: 'Broken', outcome: 'error' })).toBe(1);
    expect(delta(before, after, 'kpigraph_graphql_errors_total', { code: 'TOO_MANY_ALIASES' })).toBe(1);
    expect(delta(before, after, 'kpigraph_graphql_requests_total', { operation: 'Invalid', outcome: 'error' })).toBe(1);
    expect(delta(before, after, 'kpigraph_graphql_requests_total', { operation: 'Many', outcome: 'refused' })).toBe(1);
  });

  it('counts rate-limit refusals', async () => {
    const limited = createTestClient(db, 1, { METRICS_TOKEN: token, RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '2' });
    const before = await scrape();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await limited.execute('query Ping { __typename }')).status);
    const after = await scrape();
    const refused = statuses.filter((status) => status === 429).length;
    // A burst of 2, then one a minute (the first request may count against the address, before the key is known).
    expect(refused).toBeGreaterThanOrEqual(2);
    expect(delta(before, after, 'kpigraph_rate_limit_refusals_total')).toBe(refused);
    expect(delta(before, after, 'kpigraph_graphql_errors_total', { code: 'RATE_LIMITED' })).toBe(refused);
  });
});

describe('metrics labels', () => {
  let db: Database;
  let client: TestClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    const { workspaceId } = await createFixture(db, opsFixture());
    client = createTestClient(db, workspaceId, { METRICS_TOKEN: token, RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(async () => db.close());

  it('keep at most 100 operation names, the rest counting as "other"', async () => {
    for (let i = 0; i < 130; i++) await client.execute(`query Op${i} { __typename }`);
    const response = await client.server.yoga.fetch('http://kpigraph.test/metrics', { headers: { authorization: `Bearer ${token}` } });
    const scrape = parsePrometheusText(await response.text());
    const operations = new Set(scrape.get('kpigraph_graphql_requests_total')!.samples.map((s) => s.labels['operation']));
    expect(operations.size).toBeLessThanOrEqual(101);
    expect(operations.has('other')).toBe(true);
    expect(sampleValue(scrape, 'kpigraph_graphql_requests_total', { operation: 'other' })).toBeGreaterThanOrEqual(30);
  });
});

describe('METRICS_PORT', () => {
  let db: Database;
  let client: TestClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = createTestClient(db, 1, { METRICS_PORT: '0' });
  });
  afterAll(async () => client.server.close());

  it('serves /metrics on a listener of its own, and not on the API port', async () => {
    await client.server.listen(0, '127.0.0.1');
    const port = client.server.metricsPort();
    expect(port).toBeGreaterThan(0);
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    const scrape = parsePrometheusText(await response.text());
    expect(scrape.get('kpigraph_graphql_requests_total')?.type).toBe('counter');
    expect((await fetch(`http://127.0.0.1:${port}/graphql`)).status).toBe(404);
    expect((await client.server.yoga.fetch('http://kpigraph.test/metrics')).status).toBe(404);
  });

  it.skipIf(process.env['TEST_DATABASE_URL'] === undefined)('reports the PostgreSQL pool: its size, open, idle and waiting connections', async () => {
    const response = await fetch(`http://127.0.0.1:${client.server.metricsPort()}/metrics`);
    const scrape = parsePrometheusText(await response.text());
    // The test database's pool has 5 connections at most.
    expect(sampleValue(scrape, 'kpigraph_db_pool_connections', { state: 'max' })).toBe(5);
    expect(sampleValue(scrape, 'kpigraph_db_pool_connections', { state: 'waiting' })).toBe(0);
    expect(sampleValue(scrape, 'kpigraph_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(sampleValue(scrape, 'kpigraph_db_pool_connections', { state: 'idle' }));
  });
});
