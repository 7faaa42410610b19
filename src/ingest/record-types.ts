/**
 * The importable record types, declared once: their file and type names,
 * their columns and how each is checked, stored and exported. Everything
 * else in src/ingest (row validation, staging tables, checks, upserts,
 * export) is driven by these declarations, so a column added here is
 * imported, checked and exported alike.
 */
import type { z } from 'zod';
import { channelName, emailAddress, labelText, nameText, noteText, reasonText, regionCode } from '../records/rules.js';

export const recordTypes = [
  'team',
  'user',
  'campaign',
  'customer',
  'deal',
  'deal_stage_event',
  'activity',
  'payment',
  'survey_response',
  'ticket',
  'spend',
  'ledger_entry',
] as const;

/** A record type; the array above is also the dependency order (referenced types first). */
export type RecordType = (typeof recordTypes)[number];

export type FieldKind = 'text' | 'enum' | 'int' | 'money' | 'timestamp' | 'ref';

export interface FieldSpec {
  /** Column name in CSV headers and key in NDJSON/GraphQL rows. */
  readonly name: string;
  readonly kind: FieldKind;
  readonly required?: boolean;
  /** The database column; defaults to `name` (refs: `<name>Id`). */
  readonly column?: string;
  /** text and ref fields: the shared zod rule the mutations use. */
  readonly rule?: z.ZodType<string>;
  /** enum fields: the Prisma enum type and its values. */
  readonly enumType?: string;
  readonly values?: readonly string[];
  /** ref fields: the type whose externalId the value names. */
  readonly target?: RecordType;
  /** money: `positive` refuses 0 (payments, like recordPayment). */
  readonly positive?: boolean;
  /** Left out on an existing record: keep its value; on a new one: this SQL default. */
  readonly keepDefault?: string;
  /** timestamp: a bare day (YYYY-MM-DD) is the usual form (spend, ledger). */
  readonly day?: boolean;
}

export interface RecordSpec {
  readonly type: RecordType;
  readonly table: string;
  /** Plural, snake_case: the CSV file name and what the summary prints. */
  readonly plural: string;
  readonly fields: readonly FieldSpec[];
}

const stages = ['LEAD', 'QUALIFIED', 'NEEDS_ANALYSIS', 'PROPOSAL', 'NEGOTIATION', 'WON', 'LOST'] as const;

const text = (name: string, rule: z.ZodType<string>, required = true): FieldSpec => ({ name, kind: 'text', rule, required });
const ref = (name: string, target: RecordType, required = false): FieldSpec => ({ name, kind: 'ref', target, required, rule: labelText });
const time = (name: string, required = false): FieldSpec => ({ name, kind: 'timestamp', required });
const enumOf = (name: string, enumType: string, values: readonly string[], extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  kind: 'enum',
  enumType,
  values,
  required: true,
  ...extra,
});
const money = (positive = false): FieldSpec => ({ name: 'amount', kind: 'money', required: true, positive });

const specs: readonly RecordSpec[] = [
  { type: 'team', table: 'Team', plural: 'teams', fields: [text('name', nameText), { ...time('createdAt'), keepDefault: 'now()' }] },
  {
    type: 'user',
    table: 'User',
    plural: 'users',
    fields: [
      text('name', nameText),
      text('email', emailAddress),
      enumOf('role', 'UserRole', ['REP', 'MANAGER'], { required: false, keepDefault: `'REP'` }),
      ref('team', 'team'),
      { ...time('createdAt'), keepDefault: 'now()' },
    ],
  },
  {
    type: 'campaign',
    table: 'Campaign',
    plural: 'campaigns',
    fields: [text('name', nameText), text('channel', channelName), time('startsAt', true), time('endsAt')],
  },
  {
    type: 'customer',
    table: 'Customer',
    plural: 'customers',
    fields: [
      text('name', nameText),
      text('industry', labelText),
      text('region', regionCode),
      text('channel', channelName),
      ref('owner', 'user'),
      // Optional: derived from the timestamps when left out (see row-checks.ts).
      enumOf('status', 'CustomerStatus', ['LEAD', 'PROSPECT', 'CUSTOMER', 'CHURNED'], { required: false }),
      ref('campaign', 'campaign'),
      time('createdAt', true),
      time('qualifiedAt'),
      time('convertedAt'),
      time('churnedAt'),
    ],
  },
  {
    type: 'deal',
    table: 'Deal',
    plural: 'deals',
    fields: [
      ref('customer', 'customer', true),
      ref('owner', 'user'),
      text('title', nameText),
      money(),
      enumOf('stage', 'DealStage', stages),
      // Not `type`: in NDJSON that names the record type.
      enumOf('dealType', 'DealType', ['NEW', 'RENEWAL', 'UPSELL', 'CROSS_SELL'], { required: false, keepDefault: `'NEW'`, column: 'type' }),
      text('productLine', labelText),
      ref('campaign', 'campaign'),
      time('createdAt', true),
      time('closedAt'),
      time('expectedCloseAt'),
      text('lostReason', reasonText, false),
    ],
  },
  {
    type: 'deal_stage_event',
    table: 'DealStageEvent',
    plural: 'deal_stage_events',
    fields: [
      ref('deal', 'deal', true),
      enumOf('fromStage', 'DealStage', stages, { required: false }),
      enumOf('toStage', 'DealStage', stages),
      time('at', true),
    ],
  },
  {
    type: 'activity',
    table: 'Activity',
    plural: 'activities',
    fields: [
      enumOf('activityType', 'ActivityType', ['CALL', 'EMAIL', 'MEETING', 'VISIT'], { column: 'type' }),
      ref('user', 'user'),
      ref('customer', 'customer', true),
      ref('deal', 'deal'),
      time('at', true),
      text('note', noteText, false),
    ],
  },
  {
    type: 'payment',
    table: 'Payment',
    plural: 'payments',
    fields: [ref('customer', 'customer', true), ref('deal', 'deal'), money(true), time('paidAt', true)],
  },
  {
    type: 'survey_response',
    table: 'SurveyResponse',
    plural: 'survey_responses',
    fields: [
      ref('customer', 'customer', true),
      enumOf('kind', 'SurveyKind', ['NPS', 'CSAT']),
      { name: 'score', kind: 'int', required: true },
      time('answeredAt', true),
      text('comment', noteText, false),
    ],
  },
  {
    type: 'ticket',
    table: 'Ticket',
    plural: 'tickets',
    fields: [
      ref('customer', 'customer', true),
      enumOf('kind', 'TicketKind', ['COMPLAINT', 'REQUEST', 'INCIDENT']),
      text('subject', labelText),
      time('openedAt', true),
      time('firstResponseAt'),
      time('resolvedAt'),
    ],
  },
  {
    type: 'spend',
    table: 'Spend',
    plural: 'spend',
    fields: [
      enumOf('category', 'SpendCategory', ['MARKETING', 'SALES']),
      text('channel', channelName, false),
      ref('campaign', 'campaign'),
      { ...time('date', true), day: true },
      money(),
    ],
  },
  {
    type: 'ledger_entry',
    table: 'LedgerEntry',
    plural: 'ledger_entries',
    fields: [
      enumOf('kind', 'LedgerKind', ['COST', 'BENEFIT']),
      text('category', labelText),
      { ...time('date', true), day: true },
      money(),
      text('note', noteText, false),
    ],
  },
];

export const recordSpecs: Readonly<Record<RecordType, RecordSpec>> = Object.fromEntries(specs.map((spec) => [spec.type, spec])) as Record<
  RecordType,
  RecordSpec
>;

/** The database column of a field. */
export function columnOf(field: FieldSpec): string {
  return field.column ?? (field.kind === 'ref' ? `${field.name}Id` : field.name);
}

/** Every name a type goes by in file names and NDJSON `type` fields. */
const aliases: Record<string, RecordType> = {};
for (const spec of specs) {
  for (const name of [spec.type, spec.plural, spec.table]) aliases[name.toLowerCase().replace(/-/g, '_')] = spec.type;
}
Object.assign(aliases, { stage_events: 'deal_stage_event', surveys: 'survey_response', spends: 'spend', ledger: 'ledger_entry' });

/** The record type a name stands for (`deals`, `deal`, `Deal`, `deal-stage-events` …), or undefined. */
export function recordTypeOf(name: string): RecordType | undefined {
  return aliases[name.trim().toLowerCase().replace(/-/g, '_')];
}

export const recordTypeNames = specs.map((spec) => spec.plural).join(', ');
