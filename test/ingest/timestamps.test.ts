import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { fromCivil } from '../../src/time/time-zone.js';
import { CellError, TimestampReader } from '../../src/ingest/values.js';
import { createTestDatabase } from '../support/database.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('TimestampReader', () => {
  const berlin = new TimestampReader('Europe/Berlin');

  it('reads a wall time in the workspace zone, to the minute or the second, with a space or a T', () => {
    expect(berlin.read('2024-02-01 09:00')).toEqual({ ms: Date.parse('2024-02-01T08:00:00Z'), text: '2024-02-01 09:00:00.000+01:00' });
    expect(berlin.read('2024-07-01T23:59:58')).toEqual({ ms: Date.parse('2024-07-01T21:59:58Z'), text: '2024-07-01 23:59:58.000+02:00' });
  });

  it('gives the same instant on the fast path and on the pattern path (a fraction takes the pattern)', () => {
    for (const day of ['2023-01-01', '2023-03-26', '2023-10-29', '2024-02-29', '2024-12-31']) {
      for (let hour = 0; hour < 24; hour++) {
        const wall = `${day} ${String(hour).padStart(2, '0')}:30:15`;
        const fast = berlin.read(wall);
        const slow = berlin.read(`${wall}.000`);
        expect(fast.ms, wall).toBe(slow.ms);
        const [y, m, d] = day.split('-').map(Number) as [number, number, number];
        expect(fast.ms, wall).toBe(fromCivil({ year: y, month: m, day: d, hour, minute: 30, second: 15 }, 'Europe/Berlin').getTime());
      }
    }
  });

  it('resolves the hours of a DST change exactly: the gap moves forward, the repeated hour takes its first instant', () => {
    // 2024-03-31 02:30 does not exist in Berlin; 2024-10-27 02:30 happens twice.
    expect(iso(berlin.read('2024-03-31 02:30').ms)).toBe(iso(fromCivil({ year: 2024, month: 3, day: 31, hour: 2, minute: 30 }, 'Europe/Berlin').getTime()));
    expect(iso(berlin.read('2024-10-27 02:30').ms)).toBe('2024-10-27T00:30:00.000Z');
    expect(iso(berlin.read('2024-10-27 03:30').ms)).toBe('2024-10-27T02:30:00.000Z');
  });

  it('honours an offset or Z when given, and keeps milliseconds', () => {
    expect(berlin.read('2024-02-01T09:00:00Z')).toEqual({ ms: Date.parse('2024-02-01T09:00:00Z'), text: '2024-02-01 09:00:00.000+00:00' });
    expect(berlin.read('2024-02-01 09:00:00.1234+0530').ms).toBe(Date.parse('2024-02-01T03:30:00.123Z'));
    expect(berlin.read('2024-02-01 09:00-03').text).toBe('2024-02-01 09:00:00.000-03:00');
  });

  it('refuses what is no date and time, with the pattern path’s message', () => {
    for (const bad of ['2024-02-30 09:00', '2024-13-01 09:00', '2024-02-01 24:00', '2024-02-01 09:60', '2024-02-01 -9:00', '0099-02-01 09:00', 'yesterday']) {
      expect(() => berlin.read(bad), bad).toThrow(CellError);
    }
    expect(() => berlin.read('2024-02-30 09:00')).toThrow('is not a real date and time');
    expect(() => berlin.read('2024/02/01 09:00')).toThrow('must be an ISO 8601 timestamp');
  });

  it('falls back to UTC text for an offset in seconds (local mean time before 1893 in Berlin)', () => {
    const stamp = berlin.read('1880-06-01 12:00');
    expect(stamp.text).toBe(iso(stamp.ms));
    expect(stamp.ms).toBe(fromCivil({ year: 1880, month: 6, day: 1, hour: 12 }, 'Europe/Berlin').getTime());
  });

  it('in other zones: half-hour offsets and UTC', () => {
    expect(new TimestampReader('Asia/Kolkata').read('2024-02-01 09:00').text).toBe('2024-02-01 09:00:00.000+05:30');
    expect(new TimestampReader('America/St_Johns').read('2024-07-01 09:00').text).toBe('2024-07-01 09:00:00.000-02:30');
    expect(new TimestampReader('UTC').read('2024-02-01 09:00')).toEqual({ ms: Date.parse('2024-02-01T09:00:00Z'), text: '2024-02-01 09:00:00.000+00:00' });
  });
});

describe('staged timestamp text', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('is read back by the database as the same instant, whatever the session zone', async () => {
    const readers = ['Europe/Berlin', 'Asia/Kolkata', 'America/St_Johns', 'UTC'].map((zone) => new TimestampReader(zone));
    const inputs = ['2024-02-01 09:00', '2024-07-01T23:59:58', '2024-10-27 02:30', '2024-02-01 09:00:00.1234+0530', '1880-06-01 12:00', '2024-02-01T09:00:00Z'];
    const stamps = readers.flatMap((reader) => inputs.map((input) => reader.read(input)));
    await db.query(`SET TIME ZONE 'Pacific/Auckland'`);
    const { rows } = await db.query<{ ms: string }>(`SELECT (extract(epoch FROM t::timestamptz) * 1000)::bigint::text AS ms FROM unnest($1::text[]) WITH ORDINALITY u(t, n) ORDER BY n`, [
      stamps.map((stamp) => stamp.text),
    ]);
    await db.query(`SET TIME ZONE 'UTC'`);
    expect(rows.map((row) => Number(row.ms))).toEqual(stamps.map((stamp) => stamp.ms));
  });
});
