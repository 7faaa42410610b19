import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { schema } from '../../src/graphql/schema.js';
import { createFixture } from '../../src/testing/fixture.js';
import { estimateKpiCells } from '../../src/server/limits/kpi-cost.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey } from '../support/server.js';
import { post, serverOn } from './support.js';

const estimateOptions = { kpiCount: 36, maxBuckets: 400, maxRangeDays: 1097, maxPageSize: 100, now: new Date('2026-03-15T12:00:00Z') };
const cells = (query: string, variables?: Record<string, unknown>) => estimateKpiCells(schema, parse(query), undefined, variables, estimateOptions);
const year2025 = 'range: { start: "2025-01-01T00:00:00Z", end: "2026-01-01T00:00:00Z" }';

describe('the KPI cell estimate', () => {
  it('counts value 1 (2 with compareTo), breakdown by its group estimate, series by its buckets', () => {
    expect(cells('{ kpi(key: "won_revenue") { value(period: { named: THIS_MONTH }) { value } } }')).toBe(1);
    expect(cells('{ kpi(key: "won_revenue") { value(period: { named: THIS_MONTH }, compareTo: YEAR_AGO) { value } } }')).toBe(2);
    expect(cells(`{ kpi(key: "won_revenue") { value(period: { named: THIS_MONTH }, compareToPeriod: ${year2025.replace('range: ', '')}) { value } } }`)).toBe(2);
    expect(cells('{ kpi(key: "won_revenue") { breakdown(period: { named: THIS_MONTH }, by: TEAM) { key } } }')).toBe(10);
    expect(cells('{ kpi(key: "won_revenue") { breakdown(period: { named: THIS_MONTH }, by: OWNER) { key } } }')).toBe(50);
    expect(cells('{ kpi(key: "won_revenue") { breakdown(period: { named: THIS_MONTH }, by: TEAM, thenBy: OWNER) { key } } }')).toBe(500);
    expect(cells(`{ kpi(key: "won_revenue") { series(${year2025}, grain: MONTH) { value { value } } } }`)).toBe(12);
    expect(cells(`{ kpi(key: "won_revenue") { series(${year2025}, grain: DAY) { value { value } } } }`)).toBe(365);
    expect(cells(`{ kpi(key: "won_revenue") { series(${year2025}, grain: MONTH, by: TEAM) { breakdown { key } } } }`)).toBe(120);
    expect(cells(`{ kpi(key: "won_revenue") { series(${year2025}, grain: MONTH, by: TEAM) { start } } }`)).toBe(0);
    expect(cells('{ kpi(key: "won_revenue") { series(range: { named: THIS_YEAR }, grain: QUARTER) { value { value } } } }')).toBe(4);
  });

  it('multiplies by the KPIs listed: the keys given, else every registered KPI', () => {
    expect(cells('{ kpis(keys: ["a", "b", "c"]) { value(period: { named: THIS_MONTH }) { value } } }')).toBe(3);
    expect(cells('{ kpis { value(period: { named: THIS_MONTH }) { value } } }')).toBe(36);
    expect(cells('{ kpis(stage: GROWTH) { key name } }')).toBe(0);
  });

  it('reads variables, and assumes the maximum when one is missing', () => {
    const query = 'query($keys: [String!], $r: PeriodInput!, $g: Grain!) { kpis(keys: $keys) { series(range: $r, grain: $g) { value { value } } } }';
    expect(cells(query, { keys: ['a', 'b'], r: { start: '2025-01-01T00:00:00Z', end: '2025-04-01T00:00:00Z' }, g: 'MONTH' })).toBe(6);
    expect(cells(query, { r: { named: 'LAST_YEAR' }, g: 'WEEK', keys: ['a'] })).toBe(53);
    // A required variable missing: execution would refuse it; the estimate takes every KPI at the most buckets.
    expect(cells(query, { keys: ["a"] })).toBe(36 * 400);
  });

  it('counts aliases and fragments as often as they are spread', () => {
    expect(cells('{ a: kpi(key: "x") { ...V } b: kpi(key: "y") { ...V } } fragment V on KpiDefinition { value(period: { named: TODAY }) { value } v2: value(period: { named: TODAY }) { value } }')).toBe(4);
  });

  it('estimates the dashboard of test/kpi-api (12 KPIs × 12 months × teams) at 1,440 cells, under the default 5,000', () => {
    const dashboard = `query Dashboard($keys: [String!]!) { kpis(keys: $keys) { key series(${year2025}, grain: MONTH, by: TEAM) { start breakdown { key label value { value exact target status } } } } }`;
    expect(cells(dashboard, { keys: Array.from({ length: 12 }, (_, i) => `k${i}`) })).toBe(1440);
    expect(loadConfig({}).KPI_MAX_CELLS).toBe(5000);
  });
});

describe('configuration', () => {
  it('has defaults no looser than the brief and reads every limit from the environment', () => {
    const defaults = loadConfig({});
    expect(defaults).toMatchObject({
      GRAPHQL_MAX_DEPTH: 10,
      GRAPHQL_MAX_ALIASES: 15,
      GRAPHQL_MAX_TOKENS: 2000,
      GRAPHQL_MAX_DIRECTIVES: 50,
      KPI_MAX_CELLS: 5000,
      MAX_REQUEST_BYTES: 1_000_000,
      RATE_LIMIT_PER_MINUTE: 600,
      RATE_LIMIT_BURST: 100,
      RATE_LIMIT_TRUST_PROXY: false,
    });
    expect(defaults.GRAPHQL_INTROSPECTION).toBeUndefined();
    expect(defaults.GRAPHQL_FIELD_SUGGESTIONS).toBeUndefined();
    expect(defaults.REDIS_URL).toBeUndefined();
    const custom = loadConfig({ GRAPHQL_MAX_DEPTH: '7', KPI_MAX_CELLS: '100', GRAPHQL_INTROSPECTION: 'false', RATE_LIMIT_PER_MINUTE: '0', REDIS_URL: 'redis://cache:6379' });
    expect(custom).toMatchObject({ GRAPHQL_MAX_DEPTH: 7, KPI_MAX_CELLS: 100, GRAPHQL_INTROSPECTION: false, RATE_LIMIT_PER_MINUTE: 0, REDIS_URL: 'redis://cache:6379' });
    expect(() => loadConfig({ REDIS_URL: 'http://cache' })).toThrow(/REDIS_URL: must start with redis:\/\//);
    expect(() => loadConfig({ GRAPHQL_INTROSPECTION: 'yes' })).toThrow(/GRAPHQL_INTROSPECTION/);
  });
});

describe('limits on a running server', () => {
  let db: Database;
  let key: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    const { workspaceId } = await createFixture(db, { teams: ['North'], users: [{ name: 'rep', team: 'North' }], customers: [{ name: 'Acme', owner: 'rep' }] });
    key = await mintTestKey(db, workspaceId);
  });
  afterAll(async () => db.close());

  it('answers ordinary JSON POSTs (what the CLI and tests send) and GETs that carry a key', async () => {
    const server = serverOn(db);
    expect((await post(server, key, '{ customers(first: 100) { edges { node { name } } } }')).body).toEqual({ data: { customers: { edges: [{ node: { name: 'Acme' } }] } } });
    const get = await server.yoga.fetch(`http://kpigraph.test/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { authorization: `Bearer ${key}` } });
    expect(get.status).toBe(200);
    const csrfHeaderOnly = await server.yoga.fetch(`http://kpigraph.test/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'x-graphql-client': 'cli' } });
    expect(csrfHeaderOnly.status).toBe(401);
  });

  it('refuses first: 1000 with BAD_USER_INPUT naming the maximum page size', async () => {
    const { status, body } = await post(serverOn(db), key, '{ customers(first: 1000) { edges { node { name } } } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toBe('Query.customers(first: 1000): first must be at most 100 (the maximum page size); page with after or before for more.');
  });

  it('refuses a batch (a JSON array) by default', async () => {
    const response = await serverOn(db).yoga.fetch('http://kpigraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: 'Batching is not supported.', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('offers introspection in test and development, not in production, unless GRAPHQL_INTROSPECTION says otherwise', async () => {
    const introspect = '{ __schema { queryType { name } } }';
    expect((await post(serverOn(db), key, introspect)).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect((await post(serverOn(db, { NODE_ENV: 'production' }), key, introspect)).body.errors?.[0]?.extensions?.['code']).toBe('INTROSPECTION_DISABLED');
    expect((await post(serverOn(db, { NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }), key, introspect)).body.errors).toBeUndefined();
    expect((await post(serverOn(db, { GRAPHQL_INTROSPECTION: 'false' }), key, introspect)).status).toBe(400);
    expect((await post(serverOn(db, { NODE_ENV: 'production' }), key, '{ __typename }')).body.data).toEqual({ __typename: 'Query' });
  });

  it('gives field suggestions in development only, unless GRAPHQL_FIELD_SUGGESTIONS says otherwise', async () => {
    const misspelled = '{ custmers(first: 1) { totalCount } }';
    const stripped = 'Cannot query field "custmers" on type "Query".';
    const message = async (env: Record<string, string>) => (await post(serverOn(db, env), key, misspelled)).body.errors?.[0]?.message;
    expect(await message({ NODE_ENV: 'development' })).toBe('Cannot query field "custmers" on type "Query". Did you mean "customers" or "users"?');
    expect(await message({ NODE_ENV: 'production' })).toBe(stripped);
    expect(await message({ NODE_ENV: 'test' })).toBe(stripped);
    expect(await message({ NODE_ENV: 'development', GRAPHQL_FIELD_SUGGESTIONS: 'false' })).toBe(stripped);
    expect(await message({ NODE_ENV: 'production', GRAPHQL_FIELD_SUGGESTIONS: 'true' })).toMatch(/Did you mean "customers"/);
  });

  it('judges the KPI cost of each request’s variables, although validation is cached per document', async () => {
    const server = serverOn(db);
    const query = 'query($g: Grain!) { kpis(keys: ["won_revenue", "win_rate"]) { series(range: { start: "2023-01-01T00:00:00Z", end: "2026-01-01T00:00:00Z" }, grain: $g, by: OWNER) { breakdown { key } } } }';
    const expensive = await post(server, key, query, { g: 'WEEK' });
    expect(expensive.status).toBe(400);
    expect(expensive.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^This operation asks for about 15800 KPI cells; the limit is 5000\./),
      extensions: { code: 'QUERY_TOO_EXPENSIVE', estimatedCells: 15800, maxCells: 5000 },
    });
    expect((await post(server, key, query, { g: 'YEAR' })).body.errors).toBeUndefined();
    expect((await post(server, key, query, { g: 'WEEK' })).status).toBe(400);
    expect((await post(server, key, query, { g: 'QUARTER' })).status).toBe(200);
  });

  it('applies configured limits: depth, aliases, directives, tokens, cells, body size', async () => {
    const server = serverOn(db, { GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_ALIASES: '1', GRAPHQL_MAX_DIRECTIVES: '1', GRAPHQL_MAX_TOKENS: '40', KPI_MAX_CELLS: '10', MAX_REQUEST_BYTES: '500' });
    const code = async (query: string) => (await post(server, key, query)).body.errors?.[0]?.extensions?.['code'];
    expect(await code('{ customers(first: 1) { edges { node { name } } } }')).toBe('QUERY_TOO_DEEP');
    expect(await code('{ a: teams { name } b: teams { name } }')).toBe('TOO_MANY_ALIASES');
    expect(await code('{ __typename @include(if: true) __typename @skip(if: false) }')).toBe('TOO_MANY_DIRECTIVES');
    expect(await code(`{ ${'__typename '.repeat(40)}}`)).toBe('TOO_MANY_TOKENS');
    expect(await code('{ kpis(keys: ["won_revenue"]) { value(period: { named: THIS_MONTH }) { value } } }')).toBeUndefined();
    expect(await code('{ kpis { value(period: { named: THIS_MONTH }) { value } } }')).toBe('QUERY_TOO_EXPENSIVE');
    const big = await post(server, key, '{ __typename }', { padding: 'x'.repeat(600) });
    expect(big.status).toBe(413);
  });
});
