import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { demoSizes, formatDemoSummary, loadDemoData } from '../../src/db/demo/index.js';
import type { DemoSummary } from '../../src/db/demo/index.js';
import { createTestDatabase } from '../support/database.js';

const now = new Date('2025-06-15T12:00:00.000Z');
const DEALS = 1_200;

/** Columns that identify a row's content; foreign keys become ranks so ids do not matter. */
const fingerprintColumns: Record<string, string> = {
  Team: `x.name, x."createdAt"`,
  User: `x.name, x.email, x.role, rt.r, x."createdAt"`,
  Campaign: `x.name, x.channel, x."startsAt", x."endsAt"`,
  Customer: `x.name, x.industry, x.region, x.channel, ru.r, x.status, rp.r, x."createdAt", x."qualifiedAt", x."convertedAt", x."churnedAt"`,
  Deal: `rc.r, ru.r, x.title, x.amount, x.stage, x.type, x."productLine", rp.r, x."createdAt", x."closedAt", x."expectedCloseAt", x."lostReason"`,
  DealStageEvent: `rd.r, x."fromStage", x."toStage", x.at`,
  Activity: `x.type, ru.r, rc.r, rd.r, x.at, x.note`,
  Payment: `rc.r, rd.r, x.amount, x."paidAt"`,
  SurveyResponse: `rc.r, x.kind, x.score, x."answeredAt", x.comment`,
  Ticket: `rc.r, x.kind, x.subject, x."openedAt", x."firstResponseAt", x."resolvedAt"`,
  Spend: `x.category, x.channel, rp.r, x.date, x.amount`,
  LedgerEntry: `x.kind, x.category, x.date, x.amount, x.note`,
};

const joins: Record<string, string> = {
  rt: `"teamId"`, ru: `COALESCE(x."ownerId", x."userId")`, rc: `"customerId"`, rd: `"dealId"`, rp: `"campaignId"`,
};
const rankSource: Record<string, string> = { rt: 'Team', ru: 'User', rc: 'Customer', rd: 'Deal', rp: 'Campaign' };

/** One md5 per table of a workspace's content, independent of the ids the rows got. */
async function fingerprint(db: Database, workspaceId: number): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const [table, columns] of Object.entries(fingerprintColumns)) {
    const used = Object.keys(joins).filter((alias) => columns.includes(`${alias}.r`));
    const ctes = used.map((alias) => `${alias} AS (SELECT id, row_number() OVER (ORDER BY id) AS r FROM "${rankSource[alias]}" WHERE "workspaceId" = $1)`);
    const joinSql = used
      .map((alias) => {
        const column = joins[alias]!;
        const expr = column.startsWith('COALESCE') ? (table === 'Activity' ? 'x."userId"' : 'x."ownerId"') : `x.${column}`;
        return `LEFT JOIN ${alias} ON ${alias}.id = ${expr}`;
      })
      .join(' ');
    const sql = `${ctes.length ? `WITH ${ctes.join(', ')} ` : ''}SELECT md5(string_agg(line, E'\\n' ORDER BY line)) AS hash, count(*)::int AS n FROM (
      SELECT concat_ws('|', ${columns}) AS line FROM "${table}" x ${joinSql} WHERE x."workspaceId" = $1) lines`;
    const { rows } = await db.query<{ hash: string; n: number }>(sql, [workspaceId]);
    result[table] = `${rows[0]!.n}:${rows[0]!.hash}`;
  }
  return result;
}

/** Each query counts the rows of workspace $1 that break one rule; all must be zero. */
const rules: Record<string, string> = {
  'customer status follows its timestamps': `SELECT count(*) FROM "Customer" WHERE "workspaceId" = $1 AND status::text <> CASE
      WHEN "churnedAt" IS NOT NULL THEN 'CHURNED' WHEN "convertedAt" IS NOT NULL THEN 'CUSTOMER'
      WHEN "qualifiedAt" IS NOT NULL THEN 'PROSPECT' ELSE 'LEAD' END`,
  'customer timestamps are ordered': `SELECT count(*) FROM "Customer" WHERE "workspaceId" = $1 AND ("qualifiedAt" < "createdAt"
      OR "convertedAt" < "qualifiedAt" OR ("convertedAt" IS NOT NULL AND "qualifiedAt" IS NULL)
      OR ("churnedAt" IS NOT NULL AND ("convertedAt" IS NULL OR "churnedAt" <= "convertedAt")))`,
  'convertedAt is the first won deal close': `SELECT count(*) FROM "Customer" c WHERE "workspaceId" = $1 AND "convertedAt" IS DISTINCT FROM
      (SELECT min("closedAt") FROM "Deal" d WHERE d."customerId" = c.id AND d.stage = 'WON')`,
  'deals close after creation, closed iff won or lost': `SELECT count(*) FROM "Deal" WHERE "workspaceId" = $1 AND ("closedAt" < "createdAt"
      OR (stage IN ('WON', 'LOST')) <> ("closedAt" IS NOT NULL) OR (stage = 'LOST') <> ("lostReason" IS NOT NULL)
      OR amount <= 0 OR amount::text !~ '^[0-9]+\\.[0-9]{2}$' OR "expectedCloseAt" IS NULL)`,
  'every deal has a creation event': `SELECT count(*) FROM "Deal" d WHERE "workspaceId" = $1 AND (SELECT count(*) FROM "DealStageEvent" e
      WHERE e."dealId" = d.id AND e."fromStage" IS NULL AND e."toStage" = 'LEAD' AND e.at = d."createdAt") <> 1`,
  'stage events chain with increasing times': `SELECT count(*) FROM (SELECT "fromStage", at,
      lag("toStage") OVER w AS prev_stage, lag(at) OVER w AS prev_at, row_number() OVER w AS n
      FROM "DealStageEvent" WHERE "workspaceId" = $1 WINDOW w AS (PARTITION BY "dealId" ORDER BY at)) e
      WHERE n > 1 AND ("fromStage" IS DISTINCT FROM prev_stage OR at <= prev_at)`,
  'last stage event matches the deal': `SELECT count(*) FROM "Deal" d JOIN LATERAL (SELECT "toStage", at FROM "DealStageEvent" e
      WHERE e."dealId" = d.id ORDER BY at DESC LIMIT 1) last ON true WHERE d."workspaceId" = $1
      AND (last."toStage" <> d.stage OR (d."closedAt" IS NOT NULL AND last.at <> d."closedAt"))`,
  'payments follow a won deal and the conversion': `SELECT count(*) FROM "Payment" p JOIN "Customer" c ON c.id = p."customerId"
      LEFT JOIN "Deal" d ON d.id = p."dealId" WHERE p."workspaceId" = $1 AND (p.amount <= 0 OR c."convertedAt" IS NULL
      OR p."paidAt" < c."convertedAt" OR d.stage <> 'WON' OR p."paidAt" <= d."closedAt" OR d."customerId" <> p."customerId"
      OR p."paidAt" >= coalesce(c."churnedAt", 'infinity'))`,
  'payments never exceed the deal': `SELECT count(*) FROM (SELECT d.amount, sum(p.amount) AS paid FROM "Payment" p JOIN "Deal" d ON d.id = p."dealId"
      WHERE p."workspaceId" = $1 GROUP BY d.id, d.amount) s WHERE paid > amount`,
  'scores in range': `SELECT count(*) FROM "SurveyResponse" WHERE "workspaceId" = $1 AND NOT
      ((kind = 'NPS' AND score BETWEEN 0 AND 10) OR (kind = 'CSAT' AND score BETWEEN 1 AND 5))`,
  'ticket timestamps are ordered': `SELECT count(*) FROM "Ticket" WHERE "workspaceId" = $1 AND ("firstResponseAt" <= "openedAt"
      OR "resolvedAt" <= "firstResponseAt" OR ("resolvedAt" IS NOT NULL AND "firstResponseAt" IS NULL))`,
  "activities belong to their deal's customer": `SELECT count(*) FROM "Activity" a JOIN "Deal" d ON d.id = a."dealId"
      WHERE a."workspaceId" = $1 AND d."customerId" <> a."customerId"`,
  // The load may skip the foreign-key triggers (as a superuser), so check every reference here.
  'references point into the same workspace': `SELECT ${[
      ['User', 'teamId', 'Team'], ['Customer', 'ownerId', 'User'], ['Customer', 'campaignId', 'Campaign'],
      ['Deal', 'customerId', 'Customer'], ['Deal', 'ownerId', 'User'], ['Deal', 'campaignId', 'Campaign'],
      ['DealStageEvent', 'dealId', 'Deal'], ['Activity', 'userId', 'User'], ['Activity', 'customerId', 'Customer'],
      ['Activity', 'dealId', 'Deal'], ['Payment', 'customerId', 'Customer'], ['Payment', 'dealId', 'Deal'],
      ['SurveyResponse', 'customerId', 'Customer'], ['Ticket', 'customerId', 'Customer'], ['Spend', 'campaignId', 'Campaign'],
    ].map(([table, column, target]) => `(SELECT count(*) FROM "${table}" x WHERE x."workspaceId" = $1 AND x."${column}" IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM "${target}" t WHERE t.id = x."${column}" AND t."workspaceId" = $1))`).join(' + ')}`,
  'money is positive': `SELECT (SELECT count(*) FROM "Spend" WHERE "workspaceId" = $1 AND amount <= 0)
      + (SELECT count(*) FROM "LedgerEntry" WHERE "workspaceId" = $1 AND amount <= 0)`,
  'ledger categories match their kind': `SELECT count(*) FROM "LedgerEntry" WHERE "workspaceId" = $1 AND NOT (
      (kind = 'COST' AND category IN ('purchase', 'implementation', 'training', 'operations'))
      OR (kind = 'BENEFIT' AND category IN ('sales_uplift', 'satisfaction', 'cost_savings', 'better_decisions')))`,
  'nothing happens after now': `SELECT (SELECT count(*) FROM "Deal" WHERE "workspaceId" = $1 AND greatest("createdAt", "closedAt") > $2)
      + (SELECT count(*) FROM "DealStageEvent" WHERE "workspaceId" = $1 AND at > $2)
      + (SELECT count(*) FROM "Activity" WHERE "workspaceId" = $1 AND at > $2)
      + (SELECT count(*) FROM "Payment" WHERE "workspaceId" = $1 AND "paidAt" > $2)
      + (SELECT count(*) FROM "SurveyResponse" WHERE "workspaceId" = $1 AND "answeredAt" > $2)
      + (SELECT count(*) FROM "Ticket" WHERE "workspaceId" = $1 AND greatest("openedAt", "resolvedAt") > $2)
      + (SELECT count(*) FROM "Spend" WHERE "workspaceId" = $1 AND date > $2)
      + (SELECT count(*) FROM "Customer" WHERE "workspaceId" = $1 AND greatest("createdAt", "churnedAt") > $2)`,
};

describe('demo data', () => {
  let db: Database;
  let first: DemoSummary;
  let firstPrint: Record<string, string>;
  const progress: [number, number, string][] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    first = await loadDemoData(db, { deals: DEALS, seed: 42, now, onProgress: (...args) => progress.push(args) });
    firstPrint = await fingerprint(db, first.workspaceId);
  });
  afterAll(async () => db?.close());

  it('creates exactly the requested deals and fills every table', async () => {
    expect(first.deals).toBe(DEALS);
    const counts = await db.query<Record<string, number>>(
      `SELECT ${Object.keys(fingerprintColumns).map((table) => `(SELECT count(*)::int FROM "${table}" WHERE "workspaceId" = $1) AS "${table}"`).join(', ')}`,
      [first.workspaceId],
    );
    const row = counts.rows[0]!;
    expect(row).toEqual({
      Team: first.teams, User: first.users, Campaign: first.campaigns, Customer: first.customers, Deal: DEALS,
      DealStageEvent: first.stageEvents, Activity: first.activities, Payment: first.payments, SurveyResponse: first.surveyResponses,
      Ticket: first.tickets, Spend: first.spends, LedgerEntry: first.ledgerEntries,
    });
    for (const count of Object.values(row)) expect(count).toBeGreaterThan(0);
    expect(first.customers).toBeGreaterThan(DEALS / 4);
    expect(first.customers).toBeLessThan(DEALS);
    const workspace = await db.query<{ name: string; currency: string; timeZone: string }>(
      `SELECT name, currency, "timeZone" FROM "Workspace" WHERE id = $1`, [first.workspaceId]);
    expect(workspace.rows[0]).toEqual({ name: 'Demo Co', currency: 'EUR', timeZone: 'Europe/Berlin' });
  });

  it('reports progress up to the total', () => {
    const dealSteps = progress.filter(([, , phase]) => phase === 'deals').map(([done]) => done);
    expect(dealSteps.length).toBeGreaterThan(0);
    expect(dealSteps).toEqual([...dealSteps].sort((a, b) => a - b));
    expect(dealSteps.at(-1)).toBe(DEALS);
    expect(progress.every(([, total]) => total === DEALS)).toBe(true);
  });

  it('keeps every record consistent', async () => {
    const violations: Record<string, number> = {};
    for (const [name, sql] of Object.entries(rules)) {
      const params = sql.includes('$2') ? [first.workspaceId, now] : [first.workspaceId];
      const { rows } = await db.query<Record<string, string | number>>(sql, params);
      violations[name] = Number(Object.values(rows[0]!)[0]);
    }
    expect(violations).toEqual(Object.fromEntries(Object.keys(rules).map((name) => [name, 0])));
  });

  it('has a funnel that drops off stage by stage, with every status, type and open stage present', async () => {
    const { rows } = await db.query<{ stage: string; n: number }>(
      `SELECT "toStage"::text AS stage, count(DISTINCT "dealId")::int AS n FROM "DealStageEvent" WHERE "workspaceId" = $1 GROUP BY 1`,
      [first.workspaceId],
    );
    const reached = Object.fromEntries(rows.map((row) => [row.stage, row.n]));
    const funnel = ['LEAD', 'QUALIFIED', 'NEEDS_ANALYSIS', 'PROPOSAL', 'NEGOTIATION', 'WON'].map((stage) => reached[stage] ?? 0);
    expect(funnel[0]).toBe(DEALS);
    for (let i = 1; i < funnel.length; i++) expect(funnel[i]).toBeLessThan(funnel[i - 1]!);
    expect(funnel[5]).toBeGreaterThan(0);

    const distinct = async (sql: string): Promise<string[]> =>
      (await db.query<{ v: string }>(sql, [first.workspaceId])).rows.map((row) => row.v).sort();
    expect(await distinct(`SELECT DISTINCT status::text AS v FROM "Customer" WHERE "workspaceId" = $1`)).toEqual(['CHURNED', 'CUSTOMER', 'LEAD', 'PROSPECT']);
    expect(await distinct(`SELECT DISTINCT type::text AS v FROM "Deal" WHERE "workspaceId" = $1`)).toEqual(['CROSS_SELL', 'NEW', 'RENEWAL', 'UPSELL']);
    expect(await distinct(`SELECT DISTINCT stage::text AS v FROM "Deal" WHERE "workspaceId" = $1 AND "closedAt" IS NULL`)).toEqual(
      ['LEAD', 'NEEDS_ANALYSIS', 'NEGOTIATION', 'PROPOSAL', 'QUALIFIED']);
    expect(await distinct(`SELECT DISTINCT kind::text AS v FROM "Ticket" WHERE "workspaceId" = $1`)).toEqual(['COMPLAINT', 'INCIDENT', 'REQUEST']);
    expect(await distinct(`SELECT DISTINCT kind::text AS v FROM "LedgerEntry" WHERE "workspaceId" = $1`)).toEqual(['BENEFIT', 'COST']);
    expect(await distinct(`SELECT DISTINCT category::text AS v FROM "Spend" WHERE "workspaceId" = $1`)).toEqual(['MARKETING', 'SALES']);
  });

  it('is deterministic for a seed and a time, different for another seed, and leaves other workspaces alone', async () => {
    const again = await loadDemoData(db, { deals: DEALS, seed: 42, now, workspaceName: 'Again' });
    const other = await loadDemoData(db, { deals: DEALS, seed: 43, now, workspaceName: 'Other', timeZone: 'UTC' });
    expect(again.workspaceId).not.toBe(first.workspaceId);
    expect({ ...again, workspaceId: 0, elapsedMs: 0 }).toEqual({ ...first, workspaceId: 0, elapsedMs: 0 });
    expect(await fingerprint(db, again.workspaceId)).toEqual(firstPrint);
    const otherPrint = await fingerprint(db, other.workspaceId);
    expect(otherPrint['Deal']).not.toBe(firstPrint['Deal']);
    expect(otherPrint['Customer']).not.toBe(firstPrint['Customer']);
    expect(other.deals).toBe(DEALS);
    expect(await fingerprint(db, first.workspaceId)).toEqual(firstPrint);
  });

  it('leaves nothing behind when a load fails', async () => {
    const before = await db.query<{ w: number; c: number; d: number }>(
      `SELECT (SELECT count(*)::int FROM "Workspace") AS w, (SELECT count(*)::int FROM "Customer") AS c, (SELECT count(*)::int FROM "Deal") AS d`);
    await expect(loadDemoData(db, {
      deals: 12_000, seed: 1, now,
      onProgress: (done) => {
        if (done > 0 && done < 12_000) throw new Error('interrupted');
      },
    })).rejects.toThrow('interrupted');
    const after = await db.query<{ w: number; c: number; d: number }>(
      `SELECT (SELECT count(*)::int FROM "Workspace") AS w, (SELECT count(*)::int FROM "Customer") AS c, (SELECT count(*)::int FROM "Deal") AS d`);
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it('rejects bad options before writing anything', async () => {
    await expect(loadDemoData(db, { deals: 0 })).rejects.toThrow(/deals/);
    await expect(loadDemoData(db, { deals: 10, timeZone: 'Mars/Olympus' })).rejects.toThrow(/time zone/);
    await expect(loadDemoData(db, { deals: 10, currency: 'euro' })).rejects.toThrow(/currency/);
  });

  it('summarises a load in readable lines and offers standard sizes', () => {
    const text = formatDemoSummary(first);
    expect(text).toContain(`workspace ${first.workspaceId}`);
    expect(text).toMatch(/deals\s+1,200/);
    expect(text.split('\n').length).toBeGreaterThan(12);
    expect(demoSizes).toEqual({ tiny: 300, S: 10_000, M: 1_000_000, L: 10_000_000 });
  });
});
