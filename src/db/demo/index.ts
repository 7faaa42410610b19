import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Database } from '../client.js';
import { newCustomerBuffers } from './customer-buffers.js';
import type { CustomerContext } from './customer-buffers.js';
import { generateCustomer } from './generate-customer.js';
import { generateLedger, generateSpend } from './generate-money.js';
import { generateOrg } from './generate-org.js';
import { Prng } from './prng.js';
import { customerTimes, dealsPerCustomerByDay } from './plan.js';
import { IdPool, withLoadSession } from './session.js';
import type { DemoOptions, DemoSummary } from './summary.js';
import { insertStatement, RowBuffer, tables } from './tables.js';
import { DAY, HISTORY_DAYS, leadDayWeights } from './time.js';
import { ChunkWriter, runStatements } from './writer.js';

export type { DemoOptions, DemoSummary } from './summary.js';
export { demoSizes, formatDemoSummary } from './summary.js';

/** Deals per chunk: about a second of PostgreSQL work, a few MB of memory. */
const CHUNK_DEALS = 5_000;
/** Customers generated between two yields, so queued statements get sent. */
const SLICE_CUSTOMERS = 200;

function validate(options: DemoOptions): void {
  if (!Number.isSafeInteger(options.deals) || options.deals < 1) throw new Error(`deals must be a positive integer, got ${options.deals}`);
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) throw new Error(`seed must be an integer, got ${options.seed}`);
  if (options.currency !== undefined && !/^[A-Z]{3}$/.test(options.currency)) throw new Error(`currency must be an ISO 4217 code such as EUR, got ${options.currency}`);
  if (options.now !== undefined && Number.isNaN(options.now.getTime())) throw new Error('now is not a valid date');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: options.timeZone ?? 'Europe/Berlin' });
  } catch {
    throw new Error(`unknown time zone ${options.timeZone}`);
  }
}


/**
 * Creates one workspace and fills every table with a believable three-year
 * CRM history ending at `now`. The data depends only on the seed, `now` and
 * the options. Rows are generated in chunks (constant memory) and inserted
 * with one `unnest` statement per table and chunk while the next chunk is
 * generated. The load is one transaction where the database allows it;
 * otherwise a failure deletes the workspace it created.
 */
export async function loadDemoData(db: Database, options: DemoOptions): Promise<DemoSummary> {
  validate(options);
  const started = performance.now();
  const nowMs = (options.now ?? new Date()).getTime();
  const startMs = Math.floor(nowMs / DAY) * DAY - HISTORY_DAYS * DAY;
  const timeZone = options.timeZone ?? 'Europe/Berlin';
  const total = options.deals;
  const progress = options.onProgress ?? (() => undefined);
  const rng = new Prng(options.seed ?? 1);
  let cleanup: number | null = null;
  try {
    return await withLoadSession(db, async (session, atomicity) => {
      progress(0, total, 'setup');
      const [workspace] = await session.query<{ id: number }>(
        `INSERT INTO "Workspace" (name, currency, "timeZone", "createdAt") VALUES ($1, $2, $3, 'epoch'::timestamptz + $4 * interval '1 millisecond') RETURNING id`,
        [options.workspaceName ?? 'Demo Co', options.currency ?? 'EUR', timeZone, startMs - 60 * DAY],
      );
      const workspaceId = workspace!.id;
      if (atomicity === 'cleanup') cleanup = workspaceId;
      const summary: DemoSummary = {
        workspaceId, teams: 0, users: 0, campaigns: 0, customers: 0, deals: 0, stageEvents: 0, activities: 0,
        payments: 0, surveyResponses: 0, tickets: 0, spends: 0, ledgerEntries: 0, elapsedMs: 0,
      };

      const small = (table: string): IdPool => new IdPool(session, table, 1);
      const org = await generateOrg(rng, total, startMs, nowMs, { team: small('Team'), user: small('User'), campaign: small('Campaign') });
      await runStatements(session, [
        insertStatement(org.buffers.team, workspaceId, { own: org.ids.team }),
        insertStatement(org.buffers.user, workspaceId, { own: org.ids.user }),
        insertStatement(org.buffers.campaign, workspaceId, { own: org.ids.campaign }),
      ]);
      summary.teams = org.buffers.team.length;
      summary.users = org.buffers.user.length;
      summary.campaigns = org.buffers.campaign.length;

      const base = { nowMs, startMs, org };
      const ctx: CustomerContext = { ...base, rng, budget: { deals: total } };
      const perCustomer = dealsPerCustomerByDay(options.seed ?? 1, base, HISTORY_DAYS);
      const writer = new ChunkWriter(session, workspaceId, summary, total, (done) => progress(done, total, 'deals'));
      let out = newCustomerBuffers();
      let sinceYield = 0;
      for (const createdAt of customerTimes(rng, startMs, leadDayWeights(startMs, HISTORY_DAYS), perCustomer, ctx.budget)) {
        generateCustomer(ctx, out, createdAt);
        if (out.deal.length >= CHUNK_DEALS) {
          await writer.write(out);
          out = newCustomerBuffers();
        }
        // Let the driver send queued statements while generation goes on.
        if (++sinceYield === SLICE_CUSTOMERS) {
          sinceYield = 0;
          await yieldToEventLoop();
        }
      }
      if (out.customer.length > 0) await writer.write(out);
      await writer.drain();

      progress(total, total, 'spend');
      const moneyContext = { rng, deals: total, startMs, nowMs, timeZone, org };
      const spend = new RowBuffer(tables.spend);
      const ledger = new RowBuffer(tables.ledger);
      generateSpend(moneyContext, spend);
      generateLedger(moneyContext, ledger);
      await runStatements(session, [insertStatement(spend, workspaceId), insertStatement(ledger, workspaceId)]);
      summary.spends = spend.length;
      summary.ledgerEntries = ledger.length;
      progress(total, total, 'commit');
      summary.elapsedMs = 0;
      return summary;
    }).then((summary) => ({ ...summary, elapsedMs: Math.round(performance.now() - started) }));
  } catch (error) {
    if (cleanup !== null) await db.query('DELETE FROM "Workspace" WHERE id = $1', [cleanup]);
    throw error;
  }
}
