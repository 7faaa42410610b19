import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createFixture } from '../../src/testing/fixture.js';
import { verifyWebhook } from '../../src/webhooks/signing.js';
import type { CliServer } from '../faults/cli-process.js';
import { startCliServer } from '../faults/cli-process.js';
import { gid } from '../goals/helpers.js';
import type { PgCluster } from '../support/pg-cluster.js';
import { clusterUnavailableReason, startPgCluster } from '../support/pg-cluster.js';
import { mintTestKey } from '../support/server.js';
import { collectEvents, waitFor } from './helpers.js';

/**
 * Goal events with real parts: `kpigraph serve` child processes sharing a
 * PostgreSQL cluster of the test's own and Redis, judging on their clocks.
 */
const unavailable = clusterUnavailableReason();
const redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const minute = 60_000;

async function graphql<Data>(baseUrl: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data: Data; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

const createLead = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;

interface Workspace {
  db: Database;
  url: string;
  workspaceId: number;
  ada: number;
  north: number;
  key: string;
  goalIds: number[];
}

/**
 * A database with one workspace and `goals` team goals on new leads: two over
 * a two-hour period a quarter gone, none yet, so each is OFF_TRACK; the first
 * lead projects four and moves each to ON_TRACK (and past 50 %).
 */
async function workspaceDatabase(cluster: PgCluster, name: string, goals: number): Promise<Workspace> {
  const url = await cluster.createDatabase(name);
  const open = () => openDatabase({ kind: 'postgres', url, poolSize: 3, connectTimeoutMs: 5_000, statementTimeoutMs: 30_000, idleTimeoutMs: 1_000 });
  // Migrated through a handle of its own: the migration engine keeps its advisory lock until that handle closes.
  const migrator = await open();
  await applyMigrations(migrator.adapterFactory);
  await migrator.close();
  const db = await open();
  const fixture = await createFixture(db, { workspace: { name, timeZone: 'UTC' }, users: [{ name: 'Ada', team: 'North' }] });
  const north = fixture.ids.teams['North']!;
  const start = new Date(Date.now() - 30 * minute);
  const goalIds: number[] = [];
  for (let index = 0; index < goals; index++) {
    const goal = await db.prisma.goal.create({
      data: { workspaceId: fixture.workspaceId, kpiKey: 'new_leads', target: '2', baseline: '0', periodStart: start, periodEnd: new Date(start.getTime() + 120 * minute), ownerTeamId: north, scope: {}, description: `Leads ${index + 1}` },
    });
    goalIds.push(goal.id);
  }
  return { db, url, workspaceId: fixture.workspaceId, ada: fixture.ids.users['Ada']!, north, key: await mintTestKey(db, fixture.workspaceId), goalIds };
}

/** Every process of one test run publishes on channels of its own, so runs sharing a Redis never cross. */
const serverEnv = (databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> => ({
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  GOAL_EVENTS: 'true',
  GOAL_EVENTS_CHANNEL: `kpigraph-test:goal-events:${randomBytes(6).toString('hex')}:`,
  GOAL_EVENTS_DEBOUNCE_MS: '20',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  LOG_LEVEL: 'warn',
  ...extra,
});

describe.skipIf(unavailable)(`goal events across processes${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let cluster: PgCluster;
  const servers: CliServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.kill()));
    await cluster?.destroy();
  });
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 60_000);

  describe('two servers sharing PostgreSQL and Redis', () => {
    let space: Workspace;
    let a: CliServer;
    let b: CliServer;

    beforeAll(async () => {
      space = await workspaceDatabase(cluster, 'two_servers', 6);
      const env = serverEnv(space.url, { GOAL_EVENTS_INTERVAL_MS: '100' });
      // Both judge every goal on a 100 ms clock, so they race for each transition.
      // Started together: each migrates (nothing to apply) and neither keeps the migration lock.
      [a, b] = await Promise.all([startCliServer(env, 60_000), startCliServer(env, 60_000)]);
      servers.push(a, b);
      await waitFor(async () => (await space.db.prisma.goalEventState.count()) === 6, 10_000, 'first judgements');
    }, 90_000);
    afterAll(async () => space?.db.close());

    it('a mutation through one records each transition once, and subscribers on both receive each event once', async () => {
      expect(await space.db.prisma.goalEvent.count()).toBe(0);
      const onA = collectEvents(`${a.baseUrl}/graphql`, space.key);
      const onB = collectEvents(`${b.baseUrl}/graphql`, space.key);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await graphql(a.baseUrl, space.key, createLead, { input: { name: 'Lead', industry: 'Retail', region: 'DE', channel: 'referral', ownerId: gid('User', space.ada) } });
      // Six goals, each OFF_TRACK -> ON_TRACK and past 50 %: twelve events.
      await waitFor(() => onA.events.length >= 12 && onB.events.length >= 12, 10_000, 'twelve events on each process');
      // A few more clock passes on both: nothing more is recorded or sent.
      await new Promise((resolve) => setTimeout(resolve, 600));
      const stored = await space.db.prisma.goalEvent.findMany({ orderBy: { id: 'asc' } });
      expect(stored).toHaveLength(12);
      for (const goalId of space.goalIds) {
        expect(stored.filter((event) => event.goalId === goalId).map((event) => [event.kind, event.oldStatus, event.newStatus, event.threshold])).toEqual([
          ['STATUS_CHANGED', 'OFF_TRACK', 'ON_TRACK', null],
          ['THRESHOLD_CROSSED', 'OFF_TRACK', 'ON_TRACK', 50],
        ]);
      }
      expect(await space.db.prisma.goalStatusPeriod.count()).toBe(12);
      const ids = stored.map((event) => String(event.id));
      expect(onA.events.map((event) => event.id).sort()).toEqual([...ids].sort());
      expect(onB.events.map((event) => event.id).sort()).toEqual([...ids].sort());
      expect(onA.errors).toEqual([]);
      expect(onB.errors).toEqual([]);
      await Promise.all([onA.stop(), onB.stop()]);
    }, 30_000);

    it('time alone moves a goal on the clock: its period ends and it is MISSED, with no write', async () => {
      const subscriber = collectEvents(`${b.baseUrl}/graphql`, space.key, { filter: { status: ['MISSED'] } });
      const end = new Date(Date.now() + 3_000);
      const created = await graphql<{ createGoal: { id: string } }>(a.baseUrl, space.key, `mutation($input: CreateGoalInput!) { createGoal(input: $input) { id } }`, {
        input: { kpiKey: 'won_revenue', target: '1000', period: { start: new Date(end.getTime() - 60 * minute).toISOString(), end: end.toISOString() }, teamId: gid('Team', space.north), scope: {}, description: 'Win 1000 this hour' },
      });
      const goalId = Number(Buffer.from(created.createGoal.id, 'base64').toString().split(':')[1]);
      await waitFor(async () => (await space.db.prisma.goalEventState.count({ where: { goalId } })) === 1, 5_000, 'the goal judged once');
      const writesBefore = await space.db.query<{ version: string }>('SELECT "version"::text FROM "WorkspaceDataVersion" WHERE "workspaceId" = $1', [space.workspaceId]);
      await waitFor(() => subscriber.events.length === 1, 10_000, 'MISSED from the clock');
      expect(subscriber.events[0]).toMatchObject({ goalId: created.createGoal.id, oldStatus: 'OFF_TRACK', newStatus: 'MISSED', actual: 0, target: 1000 });
      expect(Date.parse(subscriber.events[0]!.occurredAt)).toBeGreaterThanOrEqual(end.getTime());
      expect(await space.db.prisma.goalEvent.count({ where: { goalId } })).toBe(1);
      // No record, goal or setting changed meanwhile: the workspace's data version stood still.
      const writesAfter = await space.db.query<{ version: string }>('SELECT "version"::text FROM "WorkspaceDataVersion" WHERE "workspaceId" = $1', [space.workspaceId]);
      expect(writesAfter.rows).toEqual(writesBefore.rows);
      await subscriber.stop();
    }, 30_000);
  });

  describe('a server killed mid-delivery and started again', () => {
    let space: Workspace;
    let receiver: Server;
    let receiverUrl: string;
    /** Until set, requests are held unanswered, as a slow receiver would. */
    let answering = false;
    const held: ServerResponse[] = [];
    const requests: { id: string; verified: boolean }[] = [];
    /** What the receiver acted on, once per `webhook-id`. */
    const processed = new Map<string, string>();
    let secret = '';

    beforeAll(async () => {
      space = await workspaceDatabase(cluster, 'kill_mid_delivery', 5);
      receiver = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          const id = String(request.headers['webhook-id']);
          const verified = verifyWebhook(secret, id, Number(request.headers['webhook-timestamp']), body, String(request.headers['webhook-signature']));
          requests.push({ id, verified });
          if (verified && !processed.has(id)) processed.set(id, body);
          if (answering) response.writeHead(204).end();
          else held.push(response);
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const address = receiver.address();
      receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
    }, 60_000);
    afterAll(async () => {
      for (const response of held) response.destroy();
      await new Promise((resolve) => receiver?.close(resolve));
      await space?.db.close();
    });

    it('delivers every event exactly once to a receiver deduplicating by webhook-id; the log shows no loss', async () => {
      // A short send time-out keeps the lease of the killed process's claims short.
      const env = serverEnv(space.url, { GOAL_EVENTS_INTERVAL_MS: '0', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_POLL_MS: '200' });
      const first = await startCliServer(env, 60_000);
      servers.push(first);
      await waitFor(async () => (await space.db.prisma.goalEventState.count()) === 5, 10_000, 'first judgements');
      const created = await graphql<{ createWebhookEndpoint: { secret: string } }>(first.baseUrl, space.key, `mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`, {
        input: { url: receiverUrl, description: 'all goal events' },
      });
      secret = created.createWebhookEndpoint.secret;
      await graphql(first.baseUrl, space.key, createLead, { input: { name: 'Lead', industry: 'Retail', region: 'DE', channel: 'referral', ownerId: gid('User', space.ada) } });
      // Five goals, two events each; the receiver holds the first requests unanswered.
      await waitFor(() => requests.length >= 1, 10_000, 'the first delivery request');
      await first.kill();
      const inFlight = await space.db.prisma.webhookDelivery.count({ where: { status: 'PENDING', lockedUntil: { not: null } } });
      expect(inFlight).toBeGreaterThan(0);
      for (const response of held.splice(0)) response.destroy();
      answering = true;

      const second = await startCliServer(env, 60_000);
      servers.push(second);
      // Claims of the killed process wait for their lease (time-out + 30 s) to run out.
      // Judged again at start: transitions the killed process had not recorded yet are recorded now.
      await waitFor(async () => (await space.db.prisma.webhookDelivery.count({ where: { status: 'DELIVERED' } })) === 10, 60_000, 'all ten deliveries');
      const stored = await space.db.prisma.goalEvent.findMany({ orderBy: { id: 'asc' } });
      expect(stored).toHaveLength(10);
      const expectedIds = stored.map((event) => `evt_${event.id}`).sort();
      expect([...processed.keys()].sort()).toEqual(expectedIds);
      expect(requests.every((request) => request.verified)).toBe(true);
      // The requests the killed process had sent came again, under the same webhook-id.
      expect(requests.length).toBeGreaterThan(processed.size);
      for (const event of stored) expect(JSON.parse(processed.get(`evt_${event.id}`)!)).toMatchObject({ data: { id: event.id, goalId: event.goalId } });
      const deliveries = await space.db.prisma.webhookDelivery.findMany({ include: { attemptLog: true } });
      expect(deliveries.map((delivery) => delivery.eventId).sort((x, y) => x - y)).toEqual(stored.map((event) => event.id));
      for (const delivery of deliveries) {
        expect(delivery.status).toBe('DELIVERED');
        expect(delivery.attemptLog.filter((attempt) => attempt.statusCode === 204)).toHaveLength(1);
      }
      expect(await space.db.prisma.goalEvent.count()).toBe(10);
      await second.kill();
    }, 120_000);
  });
});
