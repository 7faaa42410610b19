import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createFixture } from '../../src/testing/fixture.js';
import type { CliServer } from '../faults/cli-process.js';
import { startCliServer } from '../faults/cli-process.js';
import { waitFor } from '../faults/helpers.js';
import type { PgCluster } from '../support/pg-cluster.js';
import { clusterUnavailableReason, startPgCluster } from '../support/pg-cluster.js';
import { mintTestKey } from '../support/server.js';

const unavailable = clusterUnavailableReason();
const redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const revenue = `{ kpi(key: "won_revenue") { value(period: { start: "2025-01-01T00:00:00Z", end: "2025-04-01T00:00:00Z" }) { exact } } }`;

/** One POST on a connection of its own, so that node:cluster may hand it to any worker. */
function postOnNewConnection(port: number, key: string, query: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query });
    const req = request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const exact = (body: string): string => (JSON.parse(body) as { data: { kpi: { value: { exact: string } } } }).data.kpi.value.exact;

describe.skipIf(unavailable)(`kpigraph serve --workers 2${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let cluster: PgCluster;
  let server: CliServer;
  let key: string;
  let dealId: number;

  beforeAll(async () => {
    cluster = await startPgCluster();
    const url = await cluster.createDatabase('kpigraph');
    const db = await openDatabase({ kind: 'postgres', url, poolSize: 2, connectTimeoutMs: 5_000, statementTimeoutMs: 30_000, idleTimeoutMs: 1_000 });
    try {
      await applyMigrations(db.adapterFactory);
      const { workspaceId } = await createFixture(db, {
        workspace: { timeZone: 'UTC' },
        users: [{ name: 'nora', team: 'North' }],
        customers: [{ name: 'Ann', owner: 'nora', region: 'DE', convertedAt: '2024-11-01T00:00:00Z' }],
        deals: [
          { customer: 'Ann', stage: 'WON' as const, amount: '100.10', closedAt: '2025-01-10T00:00:00Z' },
          { customer: 'Ann', stage: 'WON' as const, amount: '7.00', closedAt: '2025-04-10T00:00:00Z' },
        ],
      });
      key = await mintTestKey(db, workspaceId);
      dealId = (await db.prisma.deal.findFirstOrThrow({ where: { amount: '100.10' } })).id;
    } finally {
      await db.close();
    }
    server = await startCliServer({ DATABASE_URL: url, REDIS_URL: redisUrl, KPI_CACHE: 'true' }, 60_000, ['--workers', '2']);
    await waitFor('two workers to serve', async () => (server.output().match(/kpigraph worker \d+ is serving/g) ?? []).length === 2, 30_000);
  }, 120_000);
  afterAll(async () => {
    await server?.kill();
    await cluster?.destroy();
  });

  it('starts two worker processes on one port, each answering KPI requests', async () => {
    const pids = [...server.output().matchAll(/kpigraph worker (\d+) is serving/g)].map((match) => match[1]);
    expect(new Set(pids).size).toBe(2);
    const answers = await Promise.all(Array.from({ length: 12 }, () => postOnNewConnection(server.port, key, revenue)));
    expect(answers.map((answer) => [answer.status, exact(answer.body)])).toEqual(Array.from({ length: 12 }, () => [200, '100.1']));
  });

  it('shows a write made through one process to the next read of every process', async () => {
    const moved = await postOnNewConnection(server.port, key, `mutation { updateDeal(id: "${Buffer.from(`Deal:${dealId}`).toString('base64')}", input: { amount: "200.20" }) { id } }`);
    expect(moved.status, moved.body).toBe(200);
    expect(moved.body).not.toContain('errors');
    const answers = await Promise.all(Array.from({ length: 12 }, () => postOnNewConnection(server.port, key, revenue)));
    expect(answers.map((answer) => exact(answer.body))).toEqual(Array.from({ length: 12 }, () => '200.2'));
  });

  it('starts another worker when one dies, and keeps answering meanwhile', async () => {
    const [first] = [...server.output().matchAll(/kpigraph worker (\d+) is serving/g)].map((match) => Number(match[1]));
    process.kill(first!, 'SIGKILL');
    // Connections handed out before the primary saw the exit are lost with the worker.
    await waitFor('the primary to see the worker exit', async () => server.output().includes(`worker ${first} exited (SIGKILL)`), 20_000);
    const answers = await Promise.all(Array.from({ length: 6 }, () => postOnNewConnection(server.port, key, revenue)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // The replacement boots in seconds; until then the other worker answers alone.
    expect(server.output()).toContain(`worker ${first} exited (SIGKILL); starting another.`);
  });

  it('stops every worker and exits 0 on SIGTERM', async () => {
    server.child.kill('SIGTERM');
    const { code } = await server.exited;
    expect(code, server.output()).toBe(0);
  });
});
