import type { CustomerBuffers } from './customer-buffers.js';
import type { DemoSummary } from './summary.js';
import { IdPool } from './session.js';
import type { LoadSession } from './session.js';
import { insertStatement } from './tables.js';
import type { Statement } from './tables.js';

export async function runStatements(session: LoadSession, statements: readonly Statement[]): Promise<void> {
  for (const statement of statements) await session.query(statement.sql, statement.params);
}

/**
 * Writes chunks of customers with their deals and the rest. A chunk's
 * statements are queued while the next chunk is generated; at most two
 * chunks wait, which bounds memory whatever the size of the load.
 */
export class ChunkWriter {
  private readonly customerIds: IdPool;
  private readonly dealIds: IdPool;
  private previous: Promise<void> = Promise.resolve();
  private queued: Promise<void> = Promise.resolve();

  constructor(
    private readonly session: LoadSession,
    private readonly workspaceId: number,
    private readonly summary: DemoSummary,
    totalDeals: number,
    private readonly onWritten: (deals: number) => void,
  ) {
    this.customerIds = new IdPool(session, 'Customer', Math.min(100_000, Math.ceil(totalDeals / 2) + 100));
    this.dealIds = new IdPool(session, 'Deal', Math.min(200_000, totalDeals));
  }

  async write(out: CustomerBuffers): Promise<void> {
    const ids = { customer: await this.customerIds.take(out.customer.length), deal: await this.dealIds.take(out.deal.length) };
    const statements = [
      insertStatement(out.customer, this.workspaceId, { own: ids.customer }),
      insertStatement(out.deal, this.workspaceId, { ...ids, own: ids.deal }),
      insertStatement(out.stageEvent, this.workspaceId, ids),
      insertStatement(out.activity, this.workspaceId, ids),
      insertStatement(out.payment, this.workspaceId, ids),
      insertStatement(out.survey, this.workspaceId, ids),
      insertStatement(out.ticket, this.workspaceId, ids),
    ];
    const { summary } = this;
    summary.customers += out.customer.length;
    summary.deals += out.deal.length;
    summary.stageEvents += out.stageEvent.length;
    summary.activities += out.activity.length;
    summary.payments += out.payment.length;
    summary.surveyResponses += out.survey.length;
    summary.tickets += out.ticket.length;
    const written = summary.deals;
    await this.previous;
    this.previous = this.queued;
    this.queued = this.previous.then(() => runStatements(this.session, statements)).then(() => this.onWritten(written));
    // A failure surfaces at the next `write` or `drain`; until then it must not count as unhandled.
    this.queued.catch(() => undefined);
  }

  async drain(): Promise<void> {
    await this.previous;
    await this.queued;
  }
}
