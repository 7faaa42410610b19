/**
 * How a unit's rows travel back inside its source's one statement. Each
 * unit's rows fold into one text value, since the units of a statement are
 * branches of a UNION ALL with different columns, and drivers decode a
 * single value far faster than hundreds of rows field by field.
 */
import type { ResultRow } from './compile.js';

export interface RowTransport {
  /** An aggregate over the unit's rows, aliased `x`, giving one text value. */
  aggregate: string;
  decode(text: string): ResultRow[];
}

/** Any rows, as a JSON array of objects. */
export const jsonRows: RowTransport = {
  aggregate: `coalesce(json_agg(x), '[]')::text`,
  decode: (text) => JSON.parse(text) as ResultRow[],
};

/**
 * Rows of known columns holding integers or plain decimal text (NULL as an
 * empty field), plus an optional group key of any type: one line per row,
 * fields joined by commas, the group key last as JSON (a label may hold a
 * comma; JSON escapes line breaks). Building and parsing a JSON object per
 * row is a noticeable share of a bucketed dashboard's time; a line of text
 * is cheaper to build in SQL and to split in JavaScript.
 */
export function delimitedRows(columns: readonly string[], grouped: boolean): RowTransport {
  for (const column of columns) if (!/^[a-z]\w*$/.test(column)) throw new Error(`Not a plain column name: ${column}`);
  const fields = [...columns.map((column) => `x.${column}`), ...(grouped ? [`coalesce(to_json(x.gk)::text, 'null')`] : [])];
  return {
    aggregate: `coalesce(string_agg(format('${fields.map(() => '%s').join(',')}', ${fields.join(', ')}), E'\\n'), '')`,
    decode(text) {
      if (text === '') return [];
      return text.split('\n').map((line) => {
        const row: Record<string, unknown> = {};
        let from = 0;
        for (const column of columns) {
          const to = line.indexOf(',', from);
          const field = line.slice(from, to < 0 ? undefined : to);
          row[column] = field === '' ? null : field;
          from = to + 1;
        }
        if (grouped) row['gk'] = JSON.parse(line.slice(from)) as unknown;
        return row as ResultRow;
      });
    },
  };
}
