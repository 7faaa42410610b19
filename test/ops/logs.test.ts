import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { openDatabase } from '../../src/db/client.js';
import { createApiKey } from '../../src/auth/api-keys.js';
import { createFixture } from '../../src/testing/fixture.js';
import { createServer } from '../../src/server/create-server.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createLogger, scrubSecrets } from '../../src/telemetry/logger.js';
import type { CliServer } from '../faults/cli-process.js';
import { startCliServer } from '../faults/cli-process.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey, testConfig } from '../support/server.js';
import { dashboardQuery, opsFixture } from './fixture.js';

/** Any API key, whole: its public prefix followed by its secret. */
const anyApiKey = /kpg_[a-z0-9]{8}_[A-Za-z0-9_-]{16,}/;

describe('request log lines', () => {
  let db: Database;
  let server: KpigraphServer;
  let key: string;
  const lines: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    const { workspaceId } = await createFixture(db, opsFixture());
    key = await mintTestKey(db, workspaceId);
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    server = createServer({ db, config: testConfig({ SLOW_REQUEST_MS: '1', RATE_LIMIT_PER_MINUTE: '0' }), logger });
  });
  afterAll(async () => server.close());

  const post = (query: string, headers: Record<string, string> = {}) =>
    server.yoga.fetch('http://kpigraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
      body: JSON.stringify({ query }),
    });
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('writes one JSON object per line for a request, with the request id the response carries, its cost and the key’s prefix only', async () => {
    lines.length = 0;
    const statements: string[] = [];
    const stop = db.onStatement((event) => void statements.push(event.sql));
    const response = await post(dashboardQuery, { 'x-request-id': 'dash-0001' });
    stop();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('dash-0001');
    expect(lines.every((line) => line.endsWith('\n') && line.indexOf('\n') === line.length - 1)).toBe(true);
    const request = entries().find((entry) => entry['msg'] === 'request')!;
    expect(request).toMatchObject({ level: 30, reqId: 'dash-0001', operation: 'Dashboard', status: 200, outcome: 'ok', cells: 36, statements: statements.length, keyPrefix: key.split('_')[1] });
    expect(request['ms']).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain(key);
  });

  it('past SLOW_REQUEST_MS adds a warning with the plan’s summary: cells, batches, statements per source', async () => {
    lines.length = 0;
    await post(dashboardQuery, { 'x-request-id': 'dash-0002' });
    const slow = entries().find((entry) => entry['msg'] === 'slow request')!;
    expect(slow).toMatchObject({ level: 40, reqId: 'dash-0002', operation: 'Dashboard' });
    const plan = slow['plan'] as { cells: number; kpiBatches: number; statements: number; sources: Record<string, { statements: number; ms: number }> };
    expect(plan).toMatchObject({ cells: 36, kpiBatches: 1 });
    expect(plan.sources['deals']?.statements).toBe(1);
    expect(plan.sources['customers']?.statements).toBe(1);
    expect(plan.statements).toBe(Object.values(plan.sources).reduce((n, source) => n + source.statements, 0));
  });

  it('makes a request id when none is given or the given one is not a plain token', async () => {
    lines.length = 0;
    const made = await post('query Ping { __typename }');
    const refused = await post('query Ping { __typename }', { 'x-request-id': 'two words\u0001' });
    const ids = [made.headers.get('x-request-id'), refused.headers.get('x-request-id')];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(entries().filter((entry) => entry['msg'] === 'request').map((entry) => entry['reqId'])).toEqual(ids);
  });

  it('cuts API keys to their prefix and hides bearer tokens and URL passwords in any message', () => {
    expect(scrubSecrets('key kpg_abcdefgh_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345 refused')).toBe('key kpg_abcdefgh_… refused');
    expect(scrubSecrets('Authorization: Bearer s3cr3t-t0ken')).toBe('Authorization: Bearer [redacted]');
    expect(scrubSecrets('connect postgres://app:hunter2@db:5432/crm failed')).toBe('connect postgres://app:[redacted]@db:5432/crm failed');
    expect(scrubSecrets('nothing to hide')).toBe('nothing to hide');
  });

  it('logs a plain Error (as yoga hands over unexpected ones) with its message and stack, secrets hidden, instead of throwing', () => {
    const written: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void written.push(line) } });
    const error = new Error('connect postgres://app:hunter2@db:5432/crm failed');
    expect(() => logger.error({ err: error }, 'Unexpected error')).not.toThrow();
    const line = JSON.parse(written[0]!) as { msg: string; err: { type: string; message: string; stack: string } };
    expect(line.msg).toBe('Unexpected error');
    expect(line.err.type).toBe('Error');
    expect(line.err.message).toBe('connect postgres://app:[redacted]@db:5432/crm failed');
    expect(line.err.stack).toMatch(/^Error: connect postgres:\/\/app:\[redacted\]@db:5432\/crm failed\n\s+at /);
    expect(written.join('')).not.toContain('hunter2');
  });
});

describe('the log of a real server process', () => {
  const password = `pw-${randomBytes(9).toString('hex')}`;
  const metricsToken = `mt-${randomBytes(12).toString('hex')}`;
  const name = `kpigraph_logscan_${randomBytes(4).toString('hex')}`;
  const admin = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const urlOf = (withPassword: boolean) => {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    if (withPassword) url.password = password;
    return url.toString();
  };
  const servers: CliServer[] = [];
  beforeAll(async () => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE "${name}"`);
    await client.end();
  });
  afterAll(async () => {
    for (const server of servers) await server.kill();
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  });

  it('holds no API key, webhook secret, metrics token or database password, each line a JSON object, after requests with keys, bad keys and errors', async () => {
    // The server here trusts local connections, so a password in the URL is accepted and ignored.
    const cli = await startCliServer({ DATABASE_URL: urlOf(true), DEMO_DEALS: '300', DEMO_DATA: 'true', METRICS_TOKEN: metricsToken, LOG_LEVEL: 'debug', RATE_LIMIT_PER_MINUTE: '600', WEBHOOK_ALLOW_PRIVATE: 'true' });
    servers.push(cli);
    let stdout = '';
    cli.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const db = await openDatabase({ kind: 'postgres', url: urlOf(false), poolSize: 1, connectTimeoutMs: 5_000, statementTimeoutMs: 10_000, idleTimeoutMs: 1_000 });
    const workspace = await db.prisma.workspace.findFirstOrThrow();
    const { key } = await createApiKey(db.prisma, { workspaceId: workspace.id, name: 'log scan', role: 'ADMIN' });
    await db.close();
    const forged = `kpg_${key.split('_')[1]}_${'Z'.repeat(32)}`;
    const send = (authorization: string, query: string) =>
      fetch(`${cli.baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query }) });
    expect((await send(`Bearer ${key}`, dashboardQuery)).status).toBe(200);
    expect((await send(`Bearer ${forged}`, '{ teams { name } }')).status).toBe(401);
    expect((await send(`Bearer ${key}`, '{ kpis(keys: ["no_such"]) { key } }')).status).toBe(200);
    expect((await send(key, '{ teams { name } }')).status).toBe(401);
    const created = await send(`Bearer ${key}`, 'mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:9/hook", description: "log scan" }) { secret } }');
    const { data } = (await created.json()) as { data: { createWebhookEndpoint: { secret: string } } };
    const webhookSecret = data.createWebhookEndpoint.secret;
    expect(webhookSecret).toMatch(/^whsec_/);
    expect((await fetch(`${cli.baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}x` } })).status).toBe(401);
    expect((await fetch(`${cli.baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).status).toBe(200);
    cli.child.kill('SIGTERM');
    await cli.exited;

    // Progress bars of the demo load go to stderr; stdout is the log.
    const output = cli.output();
    const lines = stdout.split('\n').filter(Boolean);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.filter((entry) => entry['msg'] === 'request')).toHaveLength(5);
    expect(entries.some((entry) => entry['msg'] === 'Stopped: every in-flight request finished.')).toBe(true);
    // The secret part of a key starts after 'kpg_' and its 8-character prefix, and may itself hold '_'.
    for (const secret of [key, key.slice('kpg_'.length + 9), forged, password, metricsToken, webhookSecret, webhookSecret.slice('whsec_'.length)]) expect(output).not.toContain(secret);
    expect(output).not.toMatch(anyApiKey);
    expect(output).toContain(`"keyPrefix":"${key.split('_')[1]}"`);
  });
});
