import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { RowTransport } from '../../src/kpi/sql/row-transport.js';
import { delimitedRows, jsonRows } from '../../src/kpi/sql/row-transport.js';
import { createTestDatabase } from '../support/database.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

const rowsSql = `SELECT * FROM (VALUES
  (1, 3, NULL::int, '12.50', 'North'),
  (2, NULL, 0, '-0.05', NULL),
  (3, 14, 2, '7', 'Nord, Süd; "quoted"' || E'\\n' || 'second line'),
  (4, 1, 1, '0', '')) AS v(gs, b0, b1, c0, gk)`;

async function roundTrip(transport: RowTransport, sql: string) {
  const { rows } = await db.query<{ r: string }>(`SELECT ${transport.aggregate} AS r FROM (${sql}) x`);
  return transport.decode(rows[0]!.r);
}

describe('row transport (a unit’s rows as one text value)', () => {
  it('keeps every field of delimited rows: NULL apart from empty text, labels with commas, quotes and line breaks', async () => {
    const rows = await roundTrip(delimitedRows(['gs', 'b0', 'b1', 'c0'], true), rowsSql);
    expect(rows.sort((a, b) => Number(a['gs']) - Number(b['gs']))).toEqual([
      { gs: '1', b0: '3', b1: null, c0: '12.50', gk: 'North' },
      { gs: '2', b0: null, b1: '0', c0: '-0.05', gk: null },
      { gs: '3', b0: '14', b1: '2', c0: '7', gk: 'Nord, Süd; "quoted"\nsecond line' },
      { gs: '4', b0: '1', b1: '1', c0: '0', gk: '' },
    ]);
  });

  it('reads ungrouped rows, and no rows at all as an empty list', async () => {
    const transport = delimitedRows(['gs', 'b0'], false);
    expect(await roundTrip(transport, `SELECT 5 AS gs, NULL::int AS b0`)).toEqual([{ gs: '5', b0: null }]);
    expect(await roundTrip(transport, `SELECT 5 AS gs, 1 AS b0 WHERE false`)).toEqual([]);
    expect(await roundTrip(jsonRows, `SELECT 5 AS gs WHERE false`)).toEqual([]);
  });

  it('refuses a column name it would have to quote', () => {
    expect(() => delimitedRows(['gs', 'x); DROP TABLE "Deal"; --'], false)).toThrow(/Not a plain column name/);
  });
});
