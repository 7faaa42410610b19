/** Builds a fixture workspace from a spec (see fixture-spec.ts), all or nothing. */
import type { Database } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { CustomerStatus } from '../generated/prisma/enums.js';
import type { DateInput, Fixture, FixtureSpec, MoneyInput } from './fixture-spec.js';

export type { DateInput, Fixture, FixtureSpec, MoneyInput } from './fixture-spec.js';

const longAgo = new Date('2000-01-01T00:00:00Z');

function toDate(input: DateInput, what: string): Date {
  const date = input instanceof Date ? input : new Date(input);
  if (Number.isNaN(date.getTime())) throw new Error(`Fixture: ${what} is not a valid date: ${String(input)}`);
  return date;
}

function optionalDate(input: DateInput | undefined, what: string): Date | null {
  return input === undefined ? null : toDate(input, what);
}

function money(input: MoneyInput, what: string): string {
  const text = String(input).trim();
  if (!/^-?\d+(\.\d{1,2})?$/.test(text)) throw new Error(`Fixture: ${what} must be a decimal with at most 2 places: ${text}`);
  return text;
}

/** Looks a name up, failing with the names the fixture knows. */
function lookup(table: Record<string, number>, kind: string, name: string): number {
  const id = table[name];
  if (id === undefined) {
    throw new Error(`Fixture: unknown ${kind} "${name}" (known: ${Object.keys(table).join(', ') || 'none'})`);
  }
  return id;
}

function lookupOptional(table: Record<string, number>, kind: string, name: string | undefined): number | null {
  return name === undefined ? null : lookup(table, kind, name);
}

function uniqueNames(kind: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new Error(`Fixture: two ${kind} are named "${name}"`);
    seen.add(name);
  }
}

function byName(rows: readonly { id: number; name: string }[]): Record<string, number> {
  return Object.fromEntries(rows.map((row) => [row.name, row.id]));
}

function statusOf(customer: { convertedAt?: DateInput; churnedAt?: DateInput; qualifiedAt?: DateInput }): CustomerStatus {
  if (customer.churnedAt !== undefined) return 'CHURNED';
  if (customer.convertedAt !== undefined) return 'CUSTOMER';
  if (customer.qualifiedAt !== undefined) return 'PROSPECT';
  return 'LEAD';
}

const slug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '.').replace(/^\.|\.$/g, '') || 'user';

/**
 * Creates a workspace and the rows of `spec` in it; returns their ids by name.
 * All or nothing: a spec naming an unknown row leaves no half-made workspace.
 */
export async function createFixture(db: Database, spec: FixtureSpec = {}): Promise<Fixture> {
  return db.prisma.$transaction((tx) => build(tx, spec), { timeout: 120_000, maxWait: 30_000 });
}

async function build(prisma: Prisma.TransactionClient, spec: FixtureSpec): Promise<Fixture> {
  const timeZone = spec.workspace?.timeZone ?? 'UTC';
  const workspace = await prisma.workspace.create({
    data: {
      name: spec.workspace?.name ?? 'Fixture workspace',
      timeZone,
      ...(spec.workspace?.currency ? { currency: spec.workspace.currency } : {}),
    },
  });
  const workspaceId = workspace.id;

  const teamNames = [...new Set([...(spec.teams ?? []), ...(spec.users ?? []).flatMap((u) => (u.team ? [u.team] : []))])];
  const teams = byName(
    await prisma.team.createManyAndReturn({
      data: teamNames.map((name) => ({ workspaceId, name })),
      select: { id: true, name: true },
    }),
  );

  const userSpecs = spec.users ?? [];
  uniqueNames('users', userSpecs.map((u) => u.name));
  const users = byName(
    await prisma.user.createManyAndReturn({
      data: userSpecs.map((u) => ({
        workspaceId,
        name: u.name,
        email: u.email ?? `${slug(u.name)}@example.test`,
        role: u.role ?? 'REP',
        teamId: lookupOptional(teams, 'team', u.team),
      })),
      select: { id: true, name: true },
    }),
  );

  const campaignSpecs = spec.campaigns ?? [];
  uniqueNames('campaigns', campaignSpecs.map((c) => c.name));
  const campaigns = byName(
    await prisma.campaign.createManyAndReturn({
      data: campaignSpecs.map((c) => ({
        workspaceId,
        name: c.name,
        channel: c.channel ?? 'social_ads',
        startsAt: c.startsAt === undefined ? longAgo : toDate(c.startsAt, `campaign ${c.name} startsAt`),
        endsAt: optionalDate(c.endsAt, `campaign ${c.name} endsAt`),
      })),
      select: { id: true, name: true },
    }),
  );

  const customerSpecs = spec.customers ?? [];
  uniqueNames('customers', customerSpecs.map((c) => c.name));
  const customerRows = await prisma.customer.createManyAndReturn({
    data: customerSpecs.map((c) => {
      const what = `customer ${c.name}`;
      return {
        workspaceId,
        name: c.name,
        industry: c.industry ?? 'software',
        region: c.region ?? 'DE',
        channel: c.channel ?? 'search',
        ownerId: lookupOptional(users, 'user', c.owner),
        status: c.status ?? statusOf(c),
        campaignId: lookupOptional(campaigns, 'campaign', c.campaign),
        createdAt: c.createdAt === undefined ? longAgo : toDate(c.createdAt, `${what} createdAt`),
        qualifiedAt: optionalDate(c.qualifiedAt, `${what} qualifiedAt`),
        convertedAt: optionalDate(c.convertedAt, `${what} convertedAt`),
        churnedAt: optionalDate(c.churnedAt, `${what} churnedAt`),
      };
    }),
    select: { id: true, name: true, ownerId: true },
  });
  const customers = byName(customerRows);
  const customerOwner = new Map(customerRows.map((row) => [row.id, row.ownerId]));

  const dealSpecs = (spec.deals ?? []).map((d, index) => ({ ...d, name: d.name ?? `${d.customer} #${index + 1}` }));
  uniqueNames('deals', dealSpecs.map((d) => d.name));
  const deals = byName(
    (
      await prisma.deal.createManyAndReturn({
        data: dealSpecs.map((d) => {
          const what = `deal ${d.name}`;
          const customerId = lookup(customers, 'customer', d.customer);
          return {
            workspaceId,
            customerId,
            title: d.name,
            ownerId: d.owner === undefined ? (customerOwner.get(customerId) ?? null) : lookupOptional(users, 'user', d.owner ?? undefined),
            amount: money(d.amount ?? '1000.00', `${what} amount`),
            stage: d.stage ?? 'LEAD',
            type: d.type ?? 'NEW',
            productLine: d.productLine ?? 'core',
            campaignId: lookupOptional(campaigns, 'campaign', d.campaign),
            createdAt: d.createdAt === undefined ? longAgo : toDate(d.createdAt, `${what} createdAt`),
            closedAt: optionalDate(d.closedAt, `${what} closedAt`),
            expectedCloseAt: optionalDate(d.expectedCloseAt, `${what} expectedCloseAt`),
            lostReason: d.lostReason ?? null,
          };
        }),
        select: { id: true, title: true },
      })
    ).map((row) => ({ id: row.id, name: row.title })),
  );

  await prisma.dealStageEvent.createMany({
    data: (spec.stageEvents ?? []).map((e) => ({
      workspaceId,
      dealId: lookup(deals, 'deal', e.deal),
      fromStage: e.from ?? null,
      toStage: e.to,
      at: toDate(e.at, `stage event of ${e.deal}`),
    })),
  });

  await prisma.activity.createMany({
    data: (spec.activities ?? []).map((a) => ({
      workspaceId,
      type: a.type ?? 'CALL',
      userId: lookupOptional(users, 'user', a.user),
      customerId: lookup(customers, 'customer', a.customer),
      dealId: lookupOptional(deals, 'deal', a.deal),
      at: toDate(a.at, `activity of ${a.customer}`),
      note: a.note ?? null,
    })),
  });

  await prisma.payment.createMany({
    data: (spec.payments ?? []).map((p) => ({
      workspaceId,
      customerId: lookup(customers, 'customer', p.customer),
      dealId: lookupOptional(deals, 'deal', p.deal),
      amount: money(p.amount, `payment of ${p.customer}`),
      paidAt: toDate(p.paidAt, `payment of ${p.customer}`),
    })),
  });

  await prisma.surveyResponse.createMany({
    data: (spec.surveyResponses ?? []).map((s) => {
      const range = s.kind === 'NPS' ? [0, 10] : [1, 5];
      if (!Number.isInteger(s.score) || s.score < range[0]! || s.score > range[1]!) {
        throw new Error(`Fixture: a ${s.kind} score must be an integer from ${range[0]} to ${range[1]}: ${s.score}`);
      }
      return {
        workspaceId,
        customerId: lookup(customers, 'customer', s.customer),
        kind: s.kind,
        score: s.score,
        answeredAt: toDate(s.answeredAt, `survey answer of ${s.customer}`),
        comment: s.comment ?? null,
      };
    }),
  });

  await prisma.ticket.createMany({
    data: (spec.tickets ?? []).map((t) => ({
      workspaceId,
      customerId: lookup(customers, 'customer', t.customer),
      kind: t.kind ?? 'COMPLAINT',
      subject: t.subject ?? 'Ticket',
      openedAt: toDate(t.openedAt, `ticket of ${t.customer}`),
      firstResponseAt: optionalDate(t.firstResponseAt, `ticket of ${t.customer} firstResponseAt`),
      resolvedAt: optionalDate(t.resolvedAt, `ticket of ${t.customer} resolvedAt`),
    })),
  });

  await prisma.spend.createMany({
    data: (spec.spend ?? []).map((s) => ({
      workspaceId,
      category: s.category ?? 'MARKETING',
      channel: s.channel ?? null,
      campaignId: lookupOptional(campaigns, 'campaign', s.campaign),
      date: toDate(s.date, 'spend date'),
      amount: money(s.amount, 'spend amount'),
    })),
  });

  await prisma.ledgerEntry.createMany({
    data: (spec.ledger ?? []).map((l) => ({
      workspaceId,
      kind: l.kind,
      category: l.category,
      date: toDate(l.date, 'ledger date'),
      amount: money(l.amount, 'ledger amount'),
      note: l.note ?? null,
    })),
  });

  return {
    workspaceId,
    timeZone,
    scope: { workspaceId, timeZone },
    ids: { users, teams, customers, deals, campaigns },
  };
}
