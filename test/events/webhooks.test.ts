import { createServer as createHttpServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createServer } from '../../src/server/create-server.js';
import { retryDelayMs } from '../../src/webhooks/schedule.js';
import { verifyWebhook } from '../../src/webhooks/signing.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey, testConfig } from '../support/server.js';
import { gid } from '../goals/helpers.js';
import { waitFor } from './helpers.js';

const hour = 3_600_000;
let db: Database;
let acme: Fixture;
let server: KpigraphServer;
let url: string;
let key: string;
let shiftMs = 0;
let receiver: Server;
let receiverUrl: string;
/** What the receiver answers next: a status, or 'hang' to answer after the sender's time-out. */
const answers: (number | 'hang')[] = [];
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

async function graphql<Data>(query: string, variables: Record<string, unknown> = {}): Promise<{ data: Data; errors?: { message: string; extensions: { code: string } }[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data: Data; errors?: { message: string; extensions: { code: string } }[] };
}

const createEndpoint = `mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url enabled } } }`;

beforeAll(async () => {
  db = await createTestDatabase();
  acme = await createFixture(db, { workspace: { name: 'Acme' }, users: [{ name: 'Ada', team: 'North' }] });
  receiver = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      const answer = answers.shift() ?? 200;
      if (answer === 'hang') setTimeout(() => response.end(), 2_500);
      else response.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
  server = createServer({
    db,
    config: testConfig({ GOAL_EVENTS: 'true', GOAL_EVENTS_INTERVAL_MS: '0', GOAL_EVENTS_DEBOUNCE_MS: '20', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_POLL_MS: '3600000', WEBHOOK_RETRY_HOURS: '1' }),
    goalEvents: { now: () => new Date(Date.now() + shiftMs), random: () => 0.5 },
  });
  url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
  key = await mintTestKey(db, acme.workspaceId);
});
afterAll(async () => {
  await server.close();
  await new Promise((resolve) => receiver.close(resolve));
});

describe('webhooks', () => {
  it('the back-off doubles from 10 s to a 2 h cap, spread ±20 % by jitter', () => {
    expect([1, 2, 3, 10, 11, 30].map((attempt) => retryDelayMs(attempt, 0.5))).toEqual([10_000, 20_000, 40_000, 5_120_000, 7_200_000, 7_200_000]);
    expect(retryDelayMs(1, 0)).toBe(8_000);
    expect(retryDelayMs(1, 0.999999)).toBe(12_000);
  });

  it('refuses private targets unless allowed, and plain http', async () => {
    const { refusedTarget } = await import('../../src/webhooks/targets.js');
    expect(await refusedTarget('https://127.0.0.1/x', false)).toMatch(/private or loopback/);
    expect(await refusedTarget('https://10.1.2.3/x', false)).toMatch(/private or loopback/);
    expect(await refusedTarget('https://[::1]/x', false)).toMatch(/private or loopback/);
    expect(await refusedTarget('http://93.184.216.34/x', false)).toMatch(/https/);
    expect(await refusedTarget('https://93.184.216.34/x', false)).toBeNull();
    expect(await refusedTarget('http://127.0.0.1:9/x', true)).toBeNull();
  });

  it('signs each delivery, retries after a 500 and a time-out on the back-off schedule, and logs every attempt', async () => {
    const created = await graphql<{ createWebhookEndpoint: { secret: string; endpoint: { id: string; enabled: boolean } } }>(createEndpoint, {
      input: { url: receiverUrl, description: 'status changes', filter: { kind: ['STATUS_CHANGED'] } },
    });
    expect(created.errors).toBeUndefined();
    const { secret, endpoint } = created.data.createWebhookEndpoint;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    const start = new Date(Date.now() - hour / 2);
    const goal = await graphql(`mutation($input: CreateGoalInput!) { createGoal(input: $input) { id } }`, {
      input: { kpiKey: 'new_leads', target: '2', period: { start: start.toISOString(), end: new Date(start.getTime() + 2 * hour).toISOString() }, teamId: gid('Team', acme.ids.teams['North']!), description: 'Leads', baseline: '0' },
    });
    expect(goal.errors).toBeUndefined();
    await server.events.detector.flush();
    answers.push(500, 'hang', 200);
    const lead = await graphql(`mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, {
      input: { name: 'Lead', industry: 'Retail', region: 'DE', channel: 'referral', ownerId: gid('User', acme.ids.users['Ada']!) },
    });
    expect(lead.errors).toBeUndefined();
    await waitFor(async () => (await db.prisma.webhookAttempt.count()) === 1, 5_000, 'the first attempt');
    const first = await db.prisma.webhookDelivery.findFirstOrThrow();
    const firstAttempt = await db.prisma.webhookAttempt.findFirstOrThrow();
    expect(first).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' });
    // 10 s after the failed attempt ended (jitter source 0.5 is no spread); a loaded machine may stretch the attempt itself.
    const attemptEnded = firstAttempt.startedAt.getTime() + firstAttempt.latencyMs;
    expect(first.nextAttemptAt.getTime() - attemptEnded).toBeGreaterThanOrEqual(9_999);
    expect(first.nextAttemptAt.getTime() - attemptEnded).toBeLessThan(10_100);
    // Not due yet: nothing is sent.
    expect(await server.events.worker.sendDue()).toBe(0);
    shiftMs += 10_200;
    expect(await server.events.worker.sendDue()).toBe(1);
    const second = await db.prisma.webhookDelivery.findFirstOrThrow();
    expect(second).toMatchObject({ status: 'PENDING', attempts: 2, lastStatusCode: null, lastError: 'no answer within 1000 ms' });
    shiftMs += 20_200;
    expect(await server.events.worker.sendDue()).toBe(1);
    expect(await db.prisma.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: 'DELIVERED', attempts: 3, lastStatusCode: 200 });

    // Three requests of one message: the same id and body, each signed for its own timestamp.
    expect(received).toHaveLength(3);
    const ids = new Set(received.map((request) => request.headers['webhook-id']));
    expect([...ids]).toEqual([`evt_${first.eventId}`]);
    for (const request of received) {
      const timestamp = Number(request.headers['webhook-timestamp']);
      expect(verifyWebhook(secret, String(request.headers['webhook-id']), timestamp, request.body, String(request.headers['webhook-signature']))).toBe(true);
      expect(verifyWebhook(secret, String(request.headers['webhook-id']), timestamp, request.body.replace('ON_TRACK', 'ACHIEVED'), String(request.headers['webhook-signature']))).toBe(false);
    }
    const body = JSON.parse(received[0]!.body) as { type: string; data: { oldStatus: string; newStatus: string; actual: string; target: string } };
    expect(body.type).toBe('goal.status_changed');
    expect(body.data).toMatchObject({ oldStatus: 'OFF_TRACK', newStatus: 'ON_TRACK', actual: '1', target: '2' });

    const log = await graphql<{ webhookEndpoints: { deliveries: { status: string; attempts: number; attemptLog: { number: number; statusCode: number | null; latencyMs: number; error: string | null }[] }[] }[] }>(
      `{ webhookEndpoints { id deliveries { status attempts attemptLog { number statusCode latencyMs error } } } }`,
    );
    expect(log.errors).toBeUndefined();
    const attempts = log.data.webhookEndpoints[0]!.deliveries[0]!.attemptLog;
    expect(attempts.map((attempt) => [attempt.number, attempt.statusCode, attempt.error])).toEqual([
      [1, 500, 'HTTP 500'],
      [2, null, 'no answer within 1000 ms'],
      [3, 200, null],
    ]);
    expect(attempts[1]!.latencyMs).toBeGreaterThanOrEqual(990);

    // A rotated secret signs the next delivery; redelivery sends the same message again.
    const rotated = await graphql<{ rotateWebhookSecret: { secret: string } }>(`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, { id: endpoint.id });
    const redelivered = await graphql<{ redeliverWebhook: { status: string } }>(`mutation($id: ID!) { redeliverWebhook(id: $id) { status } }`, { id: String(first.id) });
    expect(redelivered.data.redeliverWebhook.status).toBe('PENDING');
    expect(await server.events.worker.sendDue()).toBe(1);
    const again = received.at(-1)!;
    expect(again.headers['webhook-id']).toBe(`evt_${first.eventId}`);
    expect(verifyWebhook(rotated.data.rotateWebhookSecret.secret, String(again.headers['webhook-id']), Number(again.headers['webhook-timestamp']), again.body, String(again.headers['webhook-signature']))).toBe(true);
  });

  it('an endpoint failing for the whole retry window gets its delivery FAILED and is disabled with the reason', async () => {
    const delivery = await db.prisma.webhookDelivery.findFirstOrThrow();
    await db.prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'PENDING', attempts: 0, lockedUntil: null, nextAttemptAt: new Date(Date.now() + shiftMs), giveUpAt: new Date(Date.now() + shiftMs + hour) } });
    answers.length = 0;
    answers.push(...Array.from({ length: 40 }, () => 503));
    let rounds = 0;
    for (;;) {
      const current = await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
      if (current.status !== 'PENDING') break;
      shiftMs = current.nextAttemptAt.getTime() - Date.now() + 10;
      await server.events.worker.sendDue();
      rounds += 1;
      expect(rounds).toBeLessThan(20);
    }
    // 10+20+…+2560 s (≈ 85 min) passes the 1 h window on the 10th attempt.
    const failed = await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 10, lastStatusCode: 503 });
    const endpoint = await db.prisma.webhookEndpoint.findFirstOrThrow();
    expect(endpoint.disabledAt).not.toBeNull();
    expect(endpoint.disabledReason).toMatch(/failed for the whole retry window \(10 attempts; last: HTTP 503\)/);
    answers.length = 0;
  });
});
