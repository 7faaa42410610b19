/**
 * Sends queued webhook deliveries. Each process claims due deliveries with
 * FOR UPDATE SKIP LOCKED and a lease (lockedUntil): processes never take the
 * same delivery at once, and one that died mid-send leaves a lease that runs
 * out, after which another sends it again under the same webhook-id.
 * Failures are retried with back-off until the delivery's retry window ends;
 * then it is FAILED and its endpoint disabled with the reason.
 */
import type { Database } from '../db/client.js';
import { toPayload } from '../goals/events/recorder.js';
import { retryDelayMs } from './schedule.js';
import { signWebhook } from './signing.js';
import { refusedTarget } from './targets.js';
import { webhookBody, webhookMessageId } from './queue.js';

export interface WebhookWorkerOptions {
  db: Database;
  timeoutMs: number;
  allowPrivate: boolean;
  pollMs: number;
  now?: () => Date;
  random?: () => number;
  /** Deliveries claimed at once. */
  batchSize?: number;
  onError?: (error: unknown) => void;
}

interface ClaimedRow {
  id: number;
  endpointId: number;
  eventId: number;
  attempts: number;
  giveUpAt: Date;
}

export class WebhookWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private readonly now: () => Date;
  private readonly random: () => number;

  constructor(private readonly options: WebhookWorkerOptions) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  start(): void {
    this.timer = setInterval(() => void this.nudge(), this.options.pollMs);
    this.timer.unref();
  }

  /** Looks for due deliveries now (called after events are recorded). */
  nudge(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while ((await this.sendDue()) > 0 && !this.closed);
        } while (this.again && !this.closed);
      } catch (error) {
        this.options.onError?.(error);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Claims and sends one batch; returns how many were claimed. */
  async sendDue(): Promise<number> {
    const now = this.now();
    const lease = new Date(now.getTime() + this.options.timeoutMs + 30_000);
    const { rows } = await this.options.db.query<ClaimedRow>(
      `UPDATE "WebhookDelivery" SET "lockedUntil" = $2, "attempts" = "attempts" + 1
       WHERE "id" IN (
         SELECT d."id" FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e."id" = d."endpointId"
         WHERE d."status" = 'PENDING' AND d."nextAttemptAt" <= $1 AND (d."lockedUntil" IS NULL OR d."lockedUntil" <= $1) AND e."disabledAt" IS NULL
         ORDER BY d."nextAttemptAt", d."id" LIMIT $3 FOR UPDATE OF d SKIP LOCKED)
       RETURNING "id", "endpointId", "eventId", "attempts", "giveUpAt"`,
      [now, lease, this.options.batchSize ?? 20],
    );
    await Promise.all(rows.map((row) => this.send(row)));
    return rows.length;
  }

  private async send(row: ClaimedRow): Promise<void> {
    const { prisma } = this.options.db;
    const [endpoint, event] = await Promise.all([
      prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: row.endpointId } }),
      prisma.goalEvent.findUniqueOrThrow({ where: { id: row.eventId } }),
    ]);
    const startedAt = this.now();
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    const refused = await refusedTarget(endpoint.url, this.options.allowPrivate);
    if (refused) error = `target refused: ${refused}`;
    else {
      const body = webhookBody(toPayload(event));
      const id = webhookMessageId(event.id);
      const timestamp = Math.floor(startedAt.getTime() / 1000);
      try {
        const response = await fetch(endpoint.url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(this.options.timeoutMs),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'kpigraph-webhooks',
            'webhook-id': id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(endpoint.secret, id, timestamp, body),
          },
          body,
        });
        statusCode = response.status;
        await response.body?.cancel();
        if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
      } catch (cause) {
        error = cause instanceof Error && cause.name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : `request failed: ${cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause)}`;
      }
    }
    const latencyMs = Math.round(performance.now() - started);
    const now = this.now();
    // The attempt and the delivery's new state commit together: a reader never sees an attempt whose outcome is not on its delivery yet.
    const attempt = prisma.webhookAttempt.create({ data: { workspaceId: endpoint.workspaceId, deliveryId: row.id, number: row.attempts, startedAt, statusCode, latencyMs, error } });
    if (error === null) {
      await prisma.$transaction([attempt, prisma.webhookDelivery.update({ where: { id: row.id }, data: { status: 'DELIVERED', deliveredAt: now, lockedUntil: null, lastStatusCode: statusCode, lastError: null } })]);
      return;
    }
    if (now.getTime() >= row.giveUpAt.getTime()) {
      await prisma.$transaction([
        attempt,
        prisma.webhookDelivery.update({ where: { id: row.id }, data: { status: 'FAILED', lockedUntil: null, lastStatusCode: statusCode, lastError: error } }),
        prisma.webhookEndpoint.updateMany({
          where: { id: endpoint.id, disabledAt: null },
          data: { disabledAt: now, disabledReason: `Disabled at ${now.toISOString()}: delivery of event ${event.id} failed for the whole retry window (${row.attempts} attempts; last: ${error}).` },
        }),
      ]);
      return;
    }
    const nextAttemptAt = new Date(now.getTime() + retryDelayMs(row.attempts, this.random()));
    await prisma.$transaction([attempt, prisma.webhookDelivery.update({ where: { id: row.id }, data: { nextAttemptAt, lockedUntil: null, lastStatusCode: statusCode, lastError: error } })]);
  }
}
