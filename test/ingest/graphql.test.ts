import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from '../support/database.js';
import { createTestClient } from '../support/server.js';
import { createWorkspace } from './helpers.js';

const mutation = `mutation ($batches: [ImportBatch!]!, $dryRun: Boolean, $skipInvalid: Boolean) {
  importRecords(batches: $batches, dryRun: $dryRun, skipInvalid: $skipInvalid) {
    committed dryRun timeZone rejectionCount derivedStageEvents
    summaries { type rows inserted updated unchanged rejected }
    rejections { type batch row field reason }
  }
}`;

const batches = [
  { type: 'USER', rows: [{ externalId: 'u1', name: 'Ada Rep', email: 'ada@example.com' }] },
  { type: 'CUSTOMER', rows: [{ externalId: 'c1', name: 'Acme', industry: 'software', region: 'DE', channel: 'search', owner: 'u1', createdAt: '2024-01-10 09:00' }] },
  { type: 'DEAL', rows: [{ externalId: 'd1', customer: 'c1', title: 'Platform', amount: '1200.50', stage: 'LEAD', dealType: 'NEW', productLine: 'core', createdAt: '2024-02-01T00:00:00Z' }] },
];

interface Result {
  importRecords: {
    committed: boolean;
    timeZone: string;
    rejectionCount: number;
    derivedStageEvents: number;
    summaries: { type: string; rows: number; inserted: number; updated: number; unchanged: number; rejected: number }[];
    rejections: { type: string | null; batch: number; row: number; field: string; reason: string }[];
  };
}

describe('importRecords', () => {
  let db: Database;
  let workspaceId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    workspaceId = await createWorkspace(db, 'Europe/Berlin');
  });
  afterAll(async () => db?.close());

  it('imports batches of typed rows for an editor, then reports them unchanged', async () => {
    const client = createTestClient(db, workspaceId, {}, { role: 'EDITOR' });
    const first = await client.execute<Result>(mutation, { batches });
    expect(first.errors).toBeUndefined();
    expect(first.data!.importRecords).toMatchObject({ committed: true, timeZone: 'Europe/Berlin', rejectionCount: 0, derivedStageEvents: 1 });
    expect(first.data!.importRecords.summaries.map((s) => `${s.type} ${s.inserted}/${s.rows}`)).toEqual(['USER 1/1', 'CUSTOMER 1/1', 'DEAL 1/1']);
    const second = await client.execute<Result>(mutation, { batches });
    expect(second.data!.importRecords.summaries.every((s) => s.unchanged === s.rows && s.inserted + s.updated === 0)).toBe(true);
  });

  it('rejects the whole request for one bad row, naming its batch, row and field', async () => {
    const client = createTestClient(db, workspaceId, {}, { role: 'EDITOR' });
    const bad = [
      { type: 'CUSTOMER', rows: [{ externalId: 'c2', name: 'Globex', industry: 'retail', region: 'FR', channel: 'search', createdAt: '2024-01-10T00:00:00Z' }] },
      { type: 'SURVEY_RESPONSE', rows: [
        { externalId: 's1', customer: 'c2', kind: 'NPS', score: 9, answeredAt: '2024-03-01T00:00:00Z' },
        { externalId: 's2', customer: 'c2', kind: 'CSAT', score: 7, answeredAt: '2024-03-01T00:00:00Z' },
      ] },
    ];
    const result = await client.execute<Result>(mutation, { batches: bad });
    expect(result.data!.importRecords.committed).toBe(false);
    expect(result.data!.importRecords.rejections).toEqual([
      { type: 'SURVEY_RESPONSE', batch: 1, row: 1, field: 'score', reason: expect.stringMatching(/between 1 and 5 for CSAT/) },
    ]);
    const { rows } = await db.query(`SELECT 1 FROM "Customer" WHERE "workspaceId" = $1 AND "externalId" = 'c2'`, [workspaceId]);
    expect(rows).toHaveLength(0);
    const skipped = await client.execute<Result>(mutation, { batches: bad, skipInvalid: true });
    expect(skipped.data!.importRecords.committed).toBe(true);
    expect(skipped.data!.importRecords.summaries.find((s) => s.type === 'SURVEY_RESPONSE')).toMatchObject({ inserted: 1, rejected: 1 });
  });

  it('reports a conflict with a recorded record as CONFLICT, naming what to change, and writes nothing', async () => {
    const client = createTestClient(db, workspaceId, {}, { role: 'EDITOR' });
    // d8's recorded history uses the name that d9's derived creation event would get.
    const d8 = { externalId: 'd8', customer: 'c1', title: 'Earlier', amount: '7.00', stage: 'LEAD', dealType: 'NEW', productLine: 'core', createdAt: '2024-02-01T00:00:00Z' };
    const taken = await client.execute<Result>(mutation, {
      batches: [{ type: 'DEAL', rows: [d8] }, { type: 'DEAL_STAGE_EVENT', rows: [{ externalId: 'd9#lead', deal: 'd8', toStage: 'LEAD', at: '2024-02-01T00:00:00Z' }] }],
    });
    expect(taken.data?.importRecords.committed).toBe(true);
    const d9 = { externalId: 'd9', customer: 'c1', title: 'Later', amount: '5.00', stage: 'LEAD', dealType: 'NEW', productLine: 'core', createdAt: '2024-02-02T00:00:00Z' };
    const result = await client.execute<Result>(mutation, { batches: [{ type: 'DEAL', rows: [d9] }] });
    expect(result.errors?.[0]?.extensions?.['code']).toBe('CONFLICT');
    expect(result.errors?.[0]?.message).toMatch(/d9#lead.*stage history/s);
    const { rows } = await db.query(`SELECT 1 FROM "Deal" WHERE "workspaceId" = $1 AND "externalId" = 'd9'`, [workspaceId]);
    expect(rows).toHaveLength(0);
  });

  it('is not for viewers', async () => {
    const viewer = createTestClient(db, workspaceId, {}, { role: 'VIEWER' });
    const result = await viewer.execute<Result>(mutation, { batches, dryRun: true });
    expect(result.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});
