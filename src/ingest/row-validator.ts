/**
 * Checks one row on its own, with the record rules the mutations share
 * (records/rules.ts): field formats, the order of its own timestamps, score
 * ranges, money. What needs other rows
 * (references, duplicates, stage histories) is checked in SQL once every
 * row is staged (checks.ts).
 */
import { labelText, moneyAmount, positiveMoney, surveyScales } from '../records/rules.js';
import type { FieldSpec, RecordSpec } from './record-types.js';
import { copyValue } from './staging.js';
import { CellError, cellText, integerOf, moneyText } from './values.js';
import type { RawValue, Stamp, TimestampReader } from './values.js';

/** One problem with one field of one row. */
export interface RowProblem {
  field: string;
  reason: string;
}

/**
 * A valid row's values as its staging table's COPY text, from its externalId
 * on (see staging.ts): what a parse worker can work out without knowing the
 * row's place in the import.
 */
export type RowResult = { ok: true; text: string } | { ok: false; problems: RowProblem[] };

/** A row's field values while it is checked: timestamps as epoch milliseconds. */
type Typed = Record<string, string | number | null>;

/** What a field reads as: a value, or a timestamp (its instant for the checks, its text for staging). */
type FieldValue = string | number | Stamp | null;

function readField(field: FieldSpec, raw: RawValue, timestamps: TimestampReader): FieldValue {
  if (field.kind === 'money') {
    if (raw === null || raw === undefined || raw === '') {
      if (field.required) throw new CellError('is required.');
      return null;
    }
    const text = moneyText(raw);
    const result = (field.positive ? positiveMoney : moneyAmount).safeParse(text);
    if (!result.success) throw new CellError(result.error.issues[0]?.message ?? 'is not an amount.');
    return result.data;
  }
  const text = cellText(raw);
  if (text === undefined || text.trim() === '') {
    if (field.required) throw new CellError('is required.');
    return null;
  }
  switch (field.kind) {
    case 'int':
      return integerOf(text);
    case 'timestamp':
      return timestamps.read(text.trim());
    case 'enum': {
      const value = text.trim().toUpperCase();
      if (!field.values!.includes(value)) throw new CellError(`must be one of ${field.values!.join(', ')}; got ${JSON.stringify(text)}.`);
      return value;
    }
    default: {
      const result = field.rule!.safeParse(text);
      if (!result.success) throw new CellError(result.error.issues[0]?.message ?? 'is not valid.');
      return result.data;
    }
  }
}

const isoOf = (ms: number): string => new Date(ms).toISOString();

/** A timestamp that must not come before another of the same row. */
function order(r: Typed, problems: RowProblem[], later: string, earlier: string, what = earlier): void {
  const a = r[later];
  const b = r[earlier];
  if (typeof a === 'number' && typeof b === 'number' && a < b) problems.push({ field: later, reason: `must not be before ${what} (${isoOf(b)}).` });
}

const given = (value: string | number | null | undefined): boolean => value !== null && value !== undefined;

/**
 * Checks between fields of one row; each problem names the later field.
 * (No closures in here: it runs for every row, and tsx wraps each closure
 * it creates in a naming call, a cost paid once a row.)
 */
function rowChecks(type: RecordSpec['type'], r: Typed): RowProblem[] {
  const problems: RowProblem[] = [];
  switch (type) {
    case 'campaign':
      order(r, problems, 'endsAt', 'startsAt');
      break;
    case 'customer': {
      order(r, problems, 'qualifiedAt', 'createdAt');
      order(r, problems, 'convertedAt', 'createdAt');
      order(r, problems, 'churnedAt', 'convertedAt');
      if (given(r['churnedAt']) && !given(r['convertedAt'])) problems.push({ field: 'churnedAt', reason: 'only a converted customer (one with convertedAt) can churn.' });
      const derived = given(r['churnedAt']) ? 'CHURNED' : given(r['convertedAt']) ? 'CUSTOMER' : given(r['qualifiedAt']) ? 'PROSPECT' : 'LEAD';
      if (r['status'] === null) r['status'] = derived;
      else if (r['status'] !== derived) {
        problems.push({ field: 'status', reason: `must agree with the timestamps, which make it ${derived} (CHURNED with churnedAt, CUSTOMER with convertedAt, PROSPECT with qualifiedAt, else LEAD); leave it empty to derive it.` });
      }
      break;
    }
    case 'deal': {
      order(r, problems, 'closedAt', 'createdAt');
      order(r, problems, 'expectedCloseAt', 'createdAt');
      const closed = r['stage'] === 'WON' || r['stage'] === 'LOST';
      if (closed && !given(r['closedAt'])) problems.push({ field: 'closedAt', reason: `is required for a deal at ${String(r['stage'])}.` });
      if (!closed && given(r['closedAt'])) problems.push({ field: 'closedAt', reason: `must be empty for an open deal (stage ${String(r['stage'])}); only WON and LOST deals are closed.` });
      if (r['stage'] === 'LOST' && !r['lostReason']) problems.push({ field: 'lostReason', reason: 'is required for a LOST deal.' });
      if (r['stage'] !== 'LOST' && r['lostReason']) problems.push({ field: 'lostReason', reason: 'may only be given for a LOST deal.' });
      break;
    }
    case 'deal_stage_event':
      if (r['fromStage'] === r['toStage']) problems.push({ field: 'toStage', reason: 'must differ from fromStage.' });
      break;
    case 'survey_response': {
      const scale = surveyScales[r['kind'] as keyof typeof surveyScales];
      const score = r['score'] as number;
      if (scale && (score < scale.min || score > scale.max)) {
        problems.push({ field: 'score', reason: `must be between ${scale.min} and ${scale.max} for ${String(r['kind'])} (NPS scores run 0–10, CSAT scores 1–5); got ${score}.` });
      }
      break;
    }
    case 'ticket':
      order(r, problems, 'firstResponseAt', 'openedAt', 'the ticket was opened');
      order(r, problems, 'resolvedAt', 'firstResponseAt', 'its first response');
      // A resolved ticket without a first response is real (auto-closed, merged, solved without a reply).
      order(r, problems, 'resolvedAt', 'openedAt', 'the ticket was opened');
      break;
    default:
      break;
  }
  return problems;
}

const noKeys: ReadonlySet<string> = new Set();

interface SpecShape {
  /** The names a row may carry. */
  known: ReadonlySet<string>;
  /** Every field at null, in field order: copies share one hidden class, so filling them in is cheap. */
  template: Typed;
}

const shapes = new WeakMap<RecordSpec, SpecShape>();
function shapeOf(spec: RecordSpec): SpecShape {
  let shape = shapes.get(spec);
  if (!shape) {
    const template: Typed = {};
    for (const field of spec.fields) template[field.name] = null;
    shapes.set(spec, (shape = { known: new Set(['externalId', ...spec.fields.map((field) => field.name)]), template }));
  }
  return shape;
}

/**
 * Validates a row of `spec` and, when it is valid, gives its staging text.
 * Unknown keys are refused (a misspelt column would otherwise be dropped in
 * silence); `ignore` lists keys that are not fields, such as NDJSON's `type`.
 */
export function validateRow(spec: RecordSpec, raw: Readonly<Record<string, RawValue>>, timestamps: TimestampReader, ignore: ReadonlySet<string> = noKeys): RowResult {
  const problems: RowProblem[] = [];
  const shape = shapeOf(spec);
  const typed: Typed = { ...shape.template };
  const fields = spec.fields;
  // Timestamps' staging texts by field index; other fields are staged from `typed`.
  const stamps: (string | undefined)[] = [];
  const externalId = labelText.safeParse(cellText(typeof raw['externalId'] === 'object' ? null : raw['externalId']) ?? '');
  if (!externalId.success) problems.push({ field: 'externalId', reason: `is required (it is how a re-import finds the record): ${externalId.error.issues[0]?.message ?? ''}`.replace(/: $/, '.') });
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    try {
      const value = readField(field, raw[field.name], timestamps);
      if (value !== null && typeof value === 'object') {
        typed[field.name] = value.ms;
        stamps[i] = value.text;
      } else typed[field.name] = value;
    } catch (error) {
      if (!(error instanceof CellError)) throw error;
      problems.push({ field: field.name, reason: error.message });
    }
  }
  for (const key in raw) {
    if (!shape.known.has(key) && !ignore.has(key)) {
      problems.push({ field: key, reason: `is not a column of ${spec.plural} (columns: externalId, ${fields.map((f) => f.name).join(', ')}).` });
    }
  }
  if (problems.length === 0) problems.push(...rowChecks(spec.type, typed));
  if (problems.length > 0) return { ok: false, problems };
  let text = copyValue(externalId.data!);
  for (let i = 0; i < fields.length; i++) text += `\t${stamps[i] ?? copyValue(typed[fields[i]!.name] ?? null)}`;
  return { ok: true, text };
}
