import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { scopeComputeSql } from '../../src/kpi/compute-context.js';
import type { Fixture } from '../../src/testing/fixture.js';
import { createFixture } from '../../src/testing/fixture.js';
import { deals, surveyResponses, tickets } from '../../src/kpi/sdk.js';
import type { Measure } from '../../src/kpi/sdk.js';
import type { GroupSpec, ResultRow } from '../../src/kpi/sql/compile.js';
import { compileGroup } from '../../src/kpi/sql/compile.js';
import { sourceDimensions } from '../../src/kpi/sql/data-model.js';
import { createTestDatabase } from '../support/database.js';

const malicious = `'; DROP TABLE "Deal"; --`;
const feb = { start: new Date('2024-02-01T00:00:00Z'), end: new Date('2024-03-01T00:00:00Z') };
const range = (field: string, extra: Partial<GroupSpec> = {}): GroupSpec => ({ source: 'deals', timing: { kind: 'range', field }, filter: {}, groupBy: null, ...extra });

let db: Database;
let fixture: Fixture;
beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await createFixture(db, {
    users: [{ name: 'Ann', team: 'North' }],
    customers: [{ name: 'c1', owner: 'Ann', region: 'DE' }],
    deals: [{ customer: 'c1', stage: 'WON', amount: '12.34', closedAt: '2024-02-10T00:00:00Z' }],
  });
});
afterAll(async () => db?.close());

describe('the SQL compiler', () => {
  it('puts every value in a parameter and always scopes to the workspace as $1', () => {
    const measures: Measure[] = [
      deals.count({ time: 'closedAt', where: { stage: 'WON', productLine: { in: [malicious] } } }),
      deals.sum({ field: 'amount', time: 'closedAt', where: { type: { notIn: ['UPSELL'] } } }),
    ];
    const statement = compileGroup(42, range('closedAt', { filter: { region: [malicious] }, groupBy: 'team' }), measures, [feb]);
    expect(statement.sql).not.toContain('DROP');
    expect(statement.sql).not.toContain('UPSELL');
    expect(statement.sql).not.toContain('2024');
    expect(statement.sql).toMatch(/WHERE t\."workspaceId" = \$1::int/);
    // Joined rows are scoped too, not only the measured table.
    expect(statement.sql).toMatch(/LEFT JOIN "Customer" t_customer ON t_customer\.id = t\."customerId" AND t_customer\."workspaceId" = \$1::int/);
    expect(statement.params[0]).toBe(42);
    expect(statement.params).toContainEqual([malicious]);
  });

  it('conditions on integers, time edges and durations stay parameterised', () => {
    const statement = compileGroup(
      1,
      { source: 'surveyResponses', timing: { kind: 'range', field: 'answeredAt' }, filter: {}, groupBy: null },
      [surveyResponses.count({ time: 'answeredAt', where: { kind: 'NPS', score: { gte: 9, lte: 10 } } })],
      [feb],
    );
    expect(statement.sql).toContain('t."score" >= $');
    expect(statement.sql).not.toMatch(/>= 9|<= 10/);
    const durations = compileGroup(
      1,
      { source: 'tickets', timing: { kind: 'range', field: 'openedAt' }, filter: {}, groupBy: null },
      [tickets.mean({ of: { from: 'openedAt', to: 'firstResponseAt', in: 'hours' }, time: 'openedAt', where: { resolvedAt: { before: 'end' } } })],
      [feb],
    );
    expect(durations.sql).toContain('extract(epoch from (t."firstResponseAt" - t."openedAt"))');
    expect(durations.sql).toContain('t."resolvedAt" < p.e');
  });

  it('refuses identifiers that are not in the data model', () => {
    const bad = { kind: 'sum', source: 'deals', time: 'closedAt', field: 'amount"; DROP TABLE x; --', where: {} } as unknown as Measure;
    expect(() => compileGroup(1, range('closedAt'), [bad], [feb])).toThrow(/Unknown numeric field/);
    const badWhere = { kind: 'count', source: 'deals', time: 'closedAt', where: { 'x" OR 1=1 --': 'a' } } as unknown as Measure;
    expect(() => compileGroup(1, range('closedAt'), [badWhere], [feb])).toThrow(/Unknown where field/);
    expect(() => compileGroup(1, range('closedAt; DROP'), [deals.count({ time: 'closedAt' })], [feb])).toThrow(/Unknown time field/);
  });

  it('runs a malicious filter value harmlessly, as a value', async () => {
    const run = async (filter: GroupSpec['filter']) => {
      const statement = compileGroup(fixture.workspaceId, range('closedAt', { filter }), [deals.sum({ field: 'amount', time: 'closedAt' })], [feb]);
      const { rows } = await db.query<ResultRow>(statement.sql, statement.params);
      return rows.length === 0 ? '0' : String(statement.measures[0]!.decode(rows[0]));
    };
    expect(await run({ region: [malicious] })).toBe('0');
    expect(await run({ productLine: [malicious], owner: [malicious] })).toBe('0');
    expect(await run({ region: ['DE'] })).toBe('12.34');
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "Deal"');
    expect(rows[0]!.n).toBe(1);
  });

  it('compares enums as enums, and a label the enum lacks matches nothing instead of failing', async () => {
    const count = async (where: Record<string, unknown>) => {
      const measure = { kind: 'count', source: 'deals', time: 'closedAt', where } as unknown as Measure;
      const statement = compileGroup(fixture.workspaceId, range('closedAt'), [measure], [feb]);
      expect(statement.sql).not.toMatch(/"stage"::text/);
      const { rows } = await db.query<ResultRow>(statement.sql, statement.params);
      return String(statement.measures[0]!.decode(rows[0]));
    };
    // The fixture has one deal, WON in February.
    expect(await count({ stage: 'WON' })).toBe('1');
    expect(await count({ stage: { in: ['LOST', 'WON'] } })).toBe('1');
    expect(await count({ stage: { notIn: ['WON'] } })).toBe('0');
    expect(await count({ stage: 'NOT_A_STAGE' })).toBe('0');
    expect(await count({ stage: { in: ['NOT_A_STAGE', malicious] } })).toBe('0');
    expect(await count({ stage: { notIn: ['NOT_A_STAGE'] } })).toBe('1');
  });

  it('sends enum lists a driver can encode even when the enum was created after it opened (a fresh PGlite, migrated in-process)', async () => {
    const fresh = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    try {
      await applyMigrations(fresh.adapterFactory);
      const own = await createFixture(fresh, { customers: [{ name: 'c1' }], deals: [{ customer: 'c1', stage: 'LOST', amount: '1.00', closedAt: '2024-02-10T00:00:00Z' }] });
      const measure = { kind: 'count', source: 'deals', time: 'closedAt', where: { stage: { in: ['WON', 'LOST'] } } } as unknown as Measure;
      const statement = compileGroup(own.workspaceId, range('closedAt'), [measure], [feb]);
      const { rows } = await fresh.query<ResultRow>(statement.sql, statement.params);
      expect(String(statement.measures[0]!.decode(rows[0]))).toBe('1');
    } finally {
      await fresh.close();
    }
  }, 60_000);

  it('maps dimensions per source as the catalogue says', () => {
    expect(sourceDimensions('spend').sort()).toEqual(['campaign', 'channel']);
    expect(sourceDimensions('ledger')).toEqual([]);
    expect(sourceDimensions('deals')).toContain('stage');
    expect(sourceDimensions('payments')).not.toContain('stage');
    const activity = compileGroup(1, { source: 'activities', timing: { kind: 'range', field: 'at' }, filter: {}, groupBy: 'team' }, [], [feb]);
    // An activity's team is the acting user's.
    expect(activity.sql).toContain('LEFT JOIN "User" t_actor ON t_actor.id = t."userId"');
    const payment = compileGroup(1, { source: 'payments', timing: { kind: 'range', field: 'paidAt' }, filter: {}, groupBy: 'team' }, [], [feb]);
    // A payment's team is its customer's owner's.
    expect(payment.sql).toContain('LEFT JOIN "User" t_owner ON t_owner.id = t_customer."ownerId"');
  });
});

describe('compute SQL scoping', () => {
  it('substitutes placeholders with workspace-scoped subqueries', () => {
    const scoped = scopeComputeSql('SELECT count(*) FROM {{payments}} p JOIN {{customers}} c ON c.id = p."customerId" WHERE p.amount > $1', [5], 7);
    expect(scoped.sql).toContain('(SELECT * FROM "Payment" WHERE "workspaceId" = $2::int)');
    expect(scoped.sql).toContain('(SELECT * FROM "Customer" WHERE "workspaceId" = $2::int)');
    expect(scoped.params).toEqual([5, 7]);
  });

  it('refuses base tables named directly and unknown placeholders', () => {
    expect(() => scopeComputeSql('SELECT * FROM "Payment"', [], 1)).toThrow(/may not name the table "Payment"/);
    expect(() => scopeComputeSql('SELECT * FROM {{payments}} p JOIN public."user" u ON true', [], 1)).toThrow(/"user"/);
    expect(() => scopeComputeSql('SELECT * FROM U&"\\0044eal"', [], 1)).toThrow(/may not name/);
    expect(() => scopeComputeSql('SELECT * FROM {{apiKeys}}', [], 1)).toThrow(/Unknown placeholder/);
  });
});
