import { describe, expect, it } from 'vitest';
import type { ImportSession } from '../../src/ingest/import-session.js';
import { tracedSession } from '../../src/ingest/trace.js';

describe('import trace (KPIGRAPH_IMPORT_TRACE)', () => {
  it('reports each statement, and the COPYs before it summed in one line', async () => {
    const sent: string[] = [];
    const session: ImportSession = {
      query: async <Row>(sql: string) => {
        sent.push(sql);
        return (sql.includes('pg_backend_pid') ? [{ pid: 0 }] : []) as Row[];
      },
      copyIn: async (target) => void sent.push(`COPY ${target}`),
    };
    const lines: string[] = [];
    const traced = await tracedSession(session, (line) => lines.push(line));
    await traced.copyIn('"_import_deal"', ['x\n']);
    await traced.copyIn('"_import_deal"', ['y\n']);
    await traced.query(`CREATE INDEX ON "_import_deal"\n   (seq)`);
    expect(sent).toEqual(['SELECT pg_backend_pid() AS pid', 'COPY "_import_deal"', 'COPY "_import_deal"', 'CREATE INDEX ON "_import_deal"\n   (seq)']);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[import\] \+\d+\.\d\ds at \d+\.\ds, CPU node \d+\.\d\ds db (\?|\d+\.\d\ds), load \d+\.\d, steal (\?|\d+%): 2 COPY, /);
    expect(lines[1]).toMatch(/: CREATE INDEX ON "_import_deal" \(seq\)$/);
  });
});
