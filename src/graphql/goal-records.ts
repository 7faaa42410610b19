/**
 * Goal.records: drill-through from a count or money goal's actual to the
 * records it counts or sums (deals, customers, payments…), newest first,
 * as a Relay connection with opaque cursors.
 */
import type { Activity, Customer, Deal, DealStageEvent, Payment, Spend, SurveyResponse, Ticket } from '../generated/prisma/client.js';
import type { GraphQLContext } from './context.js';
import type { RecordPosition } from '../kpi/sql/record-ids.js';
import type { SourceName } from '../kpi/measures.js';
import { KpiInputError } from '../kpi/errors.js';
import { ActivityRef } from './activity.js';
import { builder } from './builder.js';
import { CustomerRef } from './customer.js';
import { DealRef, DealStageEventRef } from './deal.js';
import { badUserInput } from './errors.js';
import { askedAt } from './goal-progress.js';
import { GoalRef } from './goal.js';
import { maxPageSize } from './paging.js';
import { PaymentRef } from './payment.js';
import { SpendRef } from './spend.js';
import { SurveyResponseRef } from './survey.js';
import { TicketRef } from './ticket.js';

/** A row of any source a KPI measure reads that has a GraphQL type. */
type RecordRow = Activity | Customer | Deal | DealStageEvent | Payment | Spend | SurveyResponse | Ticket;

/** The GraphQL type of each source's rows; the ledger has none. */
const typeNames: Partial<Record<SourceName, string>> = {
  deals: 'Deal',
  customers: 'Customer',
  payments: 'Payment',
  activities: 'Activity',
  tickets: 'Ticket',
  surveyResponses: 'SurveyResponse',
  stageEvents: 'DealStageEvent',
  spend: 'Spend',
};

/** The rows of a source by id, through the request's (workspace- and team-scoped) client. */
function loadRows(ctx: GraphQLContext, source: SourceName, ids: number[]): Promise<RecordRow[]> {
  const where = { where: { id: { in: ids } } };
  switch (source) {
    case 'deals': return ctx.prisma.deal.findMany(where);
    case 'customers': return ctx.prisma.customer.findMany(where);
    case 'payments': return ctx.prisma.payment.findMany(where);
    case 'activities': return ctx.prisma.activity.findMany(where);
    case 'tickets': return ctx.prisma.ticket.findMany(where);
    case 'surveyResponses': return ctx.prisma.surveyResponse.findMany(where);
    case 'stageEvents': return ctx.prisma.dealStageEvent.findMany(where);
    case 'spend': return ctx.prisma.spend.findMany(where);
    case 'ledger': throw new KpiInputError('records', 'Ledger entries have no GraphQL type, so they cannot be listed.');
  }
}

/** A loaded row marked with its GraphQL type, for the union. */
type TypedRecord = RecordRow & { recordType: string };

const GoalRecordRef = builder.unionType('GoalRecord', {
  description: 'A record a goal’s KPI counts or sums: a deal, customer, payment, activity, ticket, survey response, stage event or spend, by the KPI’s source.',
  types: [DealRef, CustomerRef, PaymentRef, ActivityRef, TicketRef, SurveyResponseRef, DealStageEventRef, SpendRef],
  resolveType: (row) => (row as TypedRecord).recordType,
});

const cursorPrefix = 'GoalRecord:';

function encodeCursor(position: RecordPosition): string {
  return Buffer.from(`${cursorPrefix}${JSON.stringify([position.time, position.id])}`).toString('base64url');
}

function decodeCursor(cursor: string): RecordPosition {
  const refused = badUserInput({ field: 'after', message: 'is not a cursor of these records; pass an endCursor they returned' });
  const text = Buffer.from(cursor, 'base64url').toString();
  if (!text.startsWith(cursorPrefix)) throw refused;
  try {
    const parsed: unknown = JSON.parse(text.slice(cursorPrefix.length));
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || !Number.isInteger(parsed[1]) || Number.isNaN(Date.parse(parsed[0]))) throw refused;
    return { time: parsed[0], id: parsed[1] as number };
  } catch {
    throw refused;
  }
}

interface RecordConnectionShape {
  edges: { cursor: string; node: TypedRecord }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

const GoalRecordConnection = builder.connectionObject(
  {
    type: GoalRecordRef,
    name: 'GoalRecordConnection',
    description: 'A page of the records a goal’s actual is made of (Relay connection), newest first, and how many there are in all.',
    fields: (t) => ({
      totalCount: t.int({
        description: 'How many records the goal’s KPI counts or sums over all pages: for a count KPI, the actual. Counted only when asked.',
        resolve: (connection) => (connection as unknown as RecordConnectionShape).totalCount(),
      }),
    }),
  },
  { name: 'GoalRecordEdge', description: 'One record of a goal, with its cursor.' },
);

builder.objectField(GoalRef, 'records', (t) =>
  t.field({
    type: GoalRecordConnection,
    description:
      'Drill-through: the records the goal’s actual counts or sums (its KPI’s numerator) from the period’s start to `at` (never past the end), within the goal’s scope and the API key’s team, newest first (by the KPI’s time field, then ID). Only for count and money KPIs made of one count or sum; others are BAD_USER_INPUT naming why.',
    args: {
      first: t.arg.int({ required: false, description: `How many records (default and maximum ${maxPageSize}).` }),
      after: t.arg.string({ required: false, description: 'The endCursor of the previous page.' }),
      at: t.arg({ type: 'DateTime', required: false, description: 'The instant the actual is measured at (default: as for progress).' }),
    },
    resolve: async (goal, args, ctx) => {
      const first = args.first ?? maxPageSize;
      if (first < 0 || first > maxPageSize) throw badUserInput({ field: 'first', message: `must be between 0 and ${maxPageSize}` });
      const after = args.after ? decodeCursor(args.after) : null;
      const page = await ctx.goals.records(goal, askedAt(ctx, goal, args.at), { first, after });
      const typeName = typeNames[page.source];
      const rows = page.rows.length > 0 ? await loadRows(ctx, page.source, page.rows.map((row) => row.id)) : [];
      const byId = new Map(rows.map((row) => [row.id, row]));
      const edges = page.rows.flatMap((position) => {
        const node = byId.get(position.id);
        if (!node || !typeName) return [];
        const typed: TypedRecord = { ...node, recordType: typeName };
        return [{ cursor: encodeCursor(position), node: typed }];
      });
      const last = page.rows.at(-1);
      const shape: RecordConnectionShape = {
        edges,
        pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: after !== null, startCursor: edges[0]?.cursor ?? null, endCursor: last ? encodeCursor(last) : null },
        totalCount: page.totalCount,
      };
      return shape;
    },
  }),
);
