/**
 * Column-wise row buffers and the `INSERT … SELECT FROM unnest(…)` statements
 * that load them: one statement per table and chunk, a fixed number of
 * parameters whatever the row count, fast on PGlite and PostgreSQL alike.
 */

export type Cell = number | string | null;

/**
 * `id`: the row's own id, reserved from the table's sequence at flush time;
 * `customer`/`deal`: a chunk-local index of a customer or deal row, mapped to
 * its reserved id at flush time; `ts`: epoch milliseconds; `money`: integer cents.
 */
export type ColumnType = 'id' | 'int' | 'text' | 'ts' | 'money' | 'customer' | 'deal' | `enum:${string}`;

export interface TableSpec {
  readonly table: string;
  readonly columns: readonly (readonly [name: string, type: ColumnType])[];
}

const spec = (table: string, columns: TableSpec['columns']): TableSpec => ({ table, columns });

export const tables = {
  team: spec('Team', [['id', 'id'], ['name', 'text'], ['createdAt', 'ts']]),
  user: spec('User', [
    ['id', 'id'], ['name', 'text'], ['email', 'text'], ['role', 'enum:UserRole'], ['teamId', 'int'], ['createdAt', 'ts'],
  ]),
  campaign: spec('Campaign', [['id', 'id'], ['name', 'text'], ['channel', 'text'], ['startsAt', 'ts'], ['endsAt', 'ts']]),
  customer: spec('Customer', [
    ['id', 'id'], ['name', 'text'], ['industry', 'text'], ['region', 'text'], ['channel', 'text'], ['ownerId', 'int'],
    ['status', 'enum:CustomerStatus'], ['campaignId', 'int'], ['createdAt', 'ts'], ['qualifiedAt', 'ts'],
    ['convertedAt', 'ts'], ['churnedAt', 'ts'],
  ]),
  deal: spec('Deal', [
    ['id', 'id'], ['customerId', 'customer'], ['ownerId', 'int'], ['title', 'text'], ['amount', 'money'],
    ['stage', 'enum:DealStage'], ['type', 'enum:DealType'], ['productLine', 'text'], ['campaignId', 'int'],
    ['createdAt', 'ts'], ['closedAt', 'ts'], ['expectedCloseAt', 'ts'], ['lostReason', 'text'],
  ]),
  stageEvent: spec('DealStageEvent', [
    ['dealId', 'deal'], ['fromStage', 'enum:DealStage'], ['toStage', 'enum:DealStage'], ['at', 'ts'],
  ]),
  activity: spec('Activity', [
    ['type', 'enum:ActivityType'], ['userId', 'int'], ['customerId', 'customer'], ['dealId', 'deal'], ['at', 'ts'], ['note', 'text'],
  ]),
  payment: spec('Payment', [['customerId', 'customer'], ['dealId', 'deal'], ['amount', 'money'], ['paidAt', 'ts']]),
  survey: spec('SurveyResponse', [
    ['customerId', 'customer'], ['kind', 'enum:SurveyKind'], ['score', 'int'], ['answeredAt', 'ts'], ['comment', 'text'],
  ]),
  ticket: spec('Ticket', [
    ['customerId', 'customer'], ['kind', 'enum:TicketKind'], ['subject', 'text'], ['openedAt', 'ts'],
    ['firstResponseAt', 'ts'], ['resolvedAt', 'ts'],
  ]),
  spend: spec('Spend', [
    ['category', 'enum:SpendCategory'], ['channel', 'text'], ['campaignId', 'int'], ['date', 'ts'], ['amount', 'money'],
  ]),
  ledger: spec('LedgerEntry', [['kind', 'enum:LedgerKind'], ['category', 'text'], ['date', 'ts'], ['amount', 'money'], ['note', 'text']]),
} as const;

export type TableName = keyof typeof tables;

/** Rows of one table, stored column by column (the `id` column is not stored). */
export class RowBuffer {
  readonly columns: Cell[][];
  length = 0;
  private readonly stored: number;

  constructor(readonly spec: TableSpec) {
    this.stored = spec.columns.filter(([, type]) => type !== 'id').length;
    this.columns = Array.from({ length: this.stored }, () => []);
  }

  /** Appends one row (values in column order, without `id`); returns its chunk-local index. */
  push(row: readonly Cell[]): number {
    for (let i = 0; i < this.stored; i++) this.columns[i]!.push(row[i] ?? null);
    return this.length++;
  }

  clear(): void {
    for (const column of this.columns) column.length = 0;
    this.length = 0;
  }
}

/** "1234.56" from 123456: money never passes through float arithmetic. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const rest = abs % 100;
  return `${sign}${(abs - rest) / 100}.${rest < 10 ? '0' : ''}${rest}`;
}

export interface Statement {
  sql: string;
  params: unknown[];
}

export interface IdMaps {
  own?: readonly number[];
  customer?: readonly number[];
  deal?: readonly number[];
}

const mapIds = (column: readonly Cell[], ids: readonly number[] | undefined, what: string): (number | null)[] => {
  if (!ids) throw new Error(`no ${what} ids to map`);
  return column.map((local) => (local === null ? null : ids[local as number]!));
};

const quote = (text: string): string =>
  /["\\]/.test(text) ? `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"` : `"${text}"`;

/**
 * The PostgreSQL array literal of a column, built here rather than by the
 * driver: the driver would build it only when the statement is sent, while
 * the database waits; here it is built while the database inserts the chunk
 * before.
 */
function arrayLiteral(values: readonly Cell[], text: boolean): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    parts[i] = value === null || value === undefined ? 'NULL' : text ? quote(String(value)) : String(value);
  }
  return `{${parts.join(',')}}`;
}

/** The statement that inserts every row of `buffer` into the workspace. */
export function insertStatement(buffer: RowBuffer, workspaceId: number, ids: IdMaps = {}): Statement {
  const params: unknown[] = [workspaceId];
  const names = ['"workspaceId"'];
  const selects = ['$1'];
  const unnests: string[] = [];
  let stored = 0;
  buffer.spec.columns.forEach(([name, type], index) => {
    const alias = `c${index}`;
    let value: readonly Cell[];
    let sqlType: string;
    if (type === 'id') {
      if (!ids.own || ids.own.length !== buffer.length) throw new Error(`${buffer.spec.table}: ids do not match rows`);
      value = ids.own;
      sqlType = 'int[]';
    } else {
      const column = buffer.columns[stored++]!;
      if (type === 'customer' || type === 'deal') {
        value = mapIds(column, ids[type], type);
        sqlType = 'int[]';
      } else if (type === 'money') {
        value = column.map((cents) => (cents === null ? null : formatCents(cents as number)));
        sqlType = 'numeric[]';
      } else if (type === 'ts') {
        value = column;
        sqlType = 'bigint[]';
      } else if (type.startsWith('enum:')) {
        // Sent as text and cast per element: PGlite cannot serialise arrays
        // of types it does not know, such as the schema's enums.
        value = column;
        sqlType = 'text[]';
      } else {
        value = column;
        sqlType = type === 'int' ? 'int[]' : 'text[]';
      }
    }
    params.push(arrayLiteral(value, sqlType === 'text[]'));
    names.push(`"${name}"`);
    unnests.push(`$${params.length}::${sqlType}`);
    selects.push(
      type === 'ts'
        ? `'epoch'::timestamptz + u.${alias} * interval '1 millisecond'`
        : type.startsWith('enum:')
          ? `u.${alias}::"${type.slice(5)}"`
          : `u.${alias}`,
    );
  });
  const aliases = buffer.spec.columns.map((_, index) => `c${index}`).join(', ');
  const sql =
    `INSERT INTO "${buffer.spec.table}" (${names.join(', ')}) ` +
    `SELECT ${selects.join(', ')} FROM unnest(${unnests.join(', ')}) AS u(${aliases})`;
  return { sql, params };
}
