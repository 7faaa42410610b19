import { GraphQLError } from 'graphql';
import type { PrismaClient } from '../generated/prisma/client.js';
import { Prisma } from '../generated/prisma/client.js';
import { badUserInput, conflict } from './errors.js';
import type { GlobalId } from './ids.js';
import { rowId } from './ids.js';

/**
 * Existence checks shared by the mutations. They take either the request's
 * scoped client or a transaction opened from it (the workspace-scope query
 * extension applies inside interactive transactions too), so a record of
 * another workspace is simply not found.
 */
export type Db = PrismaClient | Prisma.TransactionClient;

/** NOT_FOUND naming the input field; the same answer whether or not the row exists in another workspace. */
export function notFoundAt(field: string, typename: string, id: GlobalId): GraphQLError {
  return new GraphQLError(`${field}: ${typename} ${id.id} was not found.`, {
    extensions: { code: 'NOT_FOUND', field },
  });
}

export async function requireCustomer(db: Db, id: GlobalId, field: string) {
  const customer = await db.customer.findUnique({ where: { id: rowId(id, 'Customer', field) } });
  if (!customer) throw notFoundAt(field, 'Customer', id);
  return customer;
}

export async function requireDeal(db: Db, id: GlobalId, field: string) {
  const deal = await db.deal.findUnique({ where: { id: rowId(id, 'Deal', field) } });
  if (!deal) throw notFoundAt(field, 'Deal', id);
  return deal;
}

/** The user's row ID; `null` and `undefined` pass through (unset, unchanged). */
export async function optionalUserId(db: Db, id: GlobalId | null | undefined, field: string): Promise<number | null | undefined> {
  if (!id) return id;
  const user = await db.user.findUnique({ where: { id: rowId(id, 'User', field) }, select: { id: true } });
  if (!user) throw notFoundAt(field, 'User', id);
  return user.id;
}

export async function optionalCampaignId(db: Db, id: GlobalId | null | undefined, field: string): Promise<number | null | undefined> {
  if (!id) return id;
  const campaign = await db.campaign.findUnique({ where: { id: rowId(id, 'Campaign', field) }, select: { id: true } });
  if (!campaign) throw notFoundAt(field, 'Campaign', id);
  return campaign.id;
}

/** A deal that must exist and belong to `customerId` (payments, activities). */
export async function optionalDealOfCustomer(
  db: Db,
  id: GlobalId | null | undefined,
  customerId: number,
  field: string,
): Promise<number | null> {
  if (!id) return null;
  const deal = await requireDeal(db, id, field);
  if (deal.customerId !== customerId) {
    throw badUserInput({ field, message: 'must be a deal of the given customer.' });
  }
  return deal.id;
}

/** Rejects an explicit null for a field the record cannot be without. */
export function notNull<T>(value: T | null | undefined, field: string): T | undefined {
  if (value === null) throw badUserInput({ field, message: 'must not be null; leave it out to keep the current value.' });
  return value;
}

/**
 * Locks one row of a workspace-owned table until the transaction ends, so that
 * concurrent writers of the same record run one after the other. Raw SQL is
 * not seen by the scoping extension, so the workspace predicate is written
 * here, once, for every lock. Returns false when no such row exists in the
 * workspace.
 */
export async function lockRow(
  tx: Prisma.TransactionClient,
  table: 'Deal' | 'Customer' | 'Ticket',
  workspaceId: number,
  id: number,
): Promise<boolean> {
  // The table name comes from this closed union, never from input; values are parameters.
  const rows = await tx.$queryRaw<Array<{ id: number }>>(
    Prisma.sql([`SELECT "id" FROM "${table}" WHERE "id" = `, ` AND "workspaceId" = `, ` FOR UPDATE`], id, workspaceId),
  );
  return rows.length === 1;
}

/** For `.catch`: a unique-key violation becomes CONFLICT on `field`; anything else is rethrown. */
export function uniqueViolation(field: string, message: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict(`${field}: ${message}`);
    }
    throw error;
  };
}

/**
 * The first and last closedAt of a customer's won deals across the whole
 * workspace. Conversion and churn are facts about the customer, not about
 * the deals a team-limited key happens to see, so this reads past the team
 * filter (raw SQL, with the workspace predicate written here).
 */
export async function wonDealSpan(
  tx: Prisma.TransactionClient,
  workspaceId: number,
  customerId: number,
): Promise<{ first: Date | null; last: Date | null }> {
  const rows = await tx.$queryRaw<Array<{ first: Date | null; last: Date | null }>>`
    SELECT min("closedAt") AS "first", max("closedAt") AS "last" FROM "Deal"
    WHERE "workspaceId" = ${workspaceId} AND "customerId" = ${customerId} AND "stage" = 'WON'`;
  const row = rows[0];
  // Drivers may hand timestamps back as strings in raw results.
  const toDate = (value: Date | string | null | undefined) => (value == null ? null : new Date(value));
  return { first: toDate(row?.first), last: toDate(row?.last) };
}
