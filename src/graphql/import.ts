import { GraphQLError } from 'graphql';
import { importRecords } from '../ingest/importer.js';
import { ImportConflictError } from '../ingest/upsert.js';
import type { RecordType } from '../ingest/record-types.js';
import { recordSpecs, recordTypes } from '../ingest/record-types.js';
import type { RawValue } from '../ingest/values.js';
import { builder } from './builder.js';
import { badUserInput, conflict } from './errors.js';

/** Rows one request may carry; larger loads go through several requests or the command line. */
const MAX_ROWS_PER_REQUEST = 50_000;

/** Rows may keep NDJSON's `type` key; the batch's type is what counts. */
/** An import that met a conflicting record rolls back: the client's CONFLICT, with what to do, not a server error. */
async function importRecordsOrConflict(...args: Parameters<typeof importRecords>): ReturnType<typeof importRecords> {
  try {
    return await importRecords(...args);
  } catch (error) {
    if (error instanceof ImportConflictError) throw conflict(error.message);
    throw error;
  }
}

const recordTypeKey: ReadonlySet<string> = new Set(['type']);

const toEnum = (type: RecordType): string => type.toUpperCase();

const ImportRecordTypeEnum = builder.enumType('ImportRecordType', {
  description: 'A record type that importRecords takes. Rows of each use the columns of its CSV file (see README, "Importing and exporting data").',
  values: Object.fromEntries(
    recordTypes.map((type) => [
      toEnum(type),
      { value: type, description: `Columns: externalId, ${recordSpecs[type].fields.map((field) => field.name).join(', ')}.` },
    ]),
  ) as Record<string, { value: RecordType; description: string }>,
});

const ImportBatch = builder.inputType('ImportBatch', {
  description: 'Rows of one record type: JSON objects keyed by column name. References name the other record’s externalId; money is a decimal string; timestamps are ISO 8601 (without an offset: the workspace’s time zone).',
  fields: (t) => ({
    type: t.field({ type: ImportRecordTypeEnum, required: true }),
    rows: t.field({ type: ['JSON'], required: true }),
  }),
});

interface TypeSummaryShape {
  type: RecordType;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

const ImportTypeSummary = builder.objectRef<TypeSummaryShape>('ImportTypeSummary').implement({
  description: 'What happened to the rows of one type. Unchanged rows matched a record with equal values and were not written.',
  fields: (t) => ({
    type: t.field({ type: ImportRecordTypeEnum, resolve: (s) => s.type }),
    rows: t.exposeInt('rows'),
    inserted: t.exposeInt('inserted'),
    updated: t.exposeInt('updated'),
    unchanged: t.exposeInt('unchanged'),
    rejected: t.exposeInt('rejected'),
  }),
});

interface RejectionShape {
  type: RecordType | null;
  batch: number;
  row: number;
  field: string;
  reason: string;
}

const ImportRejection = builder.objectRef<RejectionShape>('ImportRejection').implement({
  description: 'A problem with one row: its batch and index in that batch (both from 0), the field and what to fix.',
  fields: (t) => ({
    type: t.field({ type: ImportRecordTypeEnum, nullable: true, resolve: (r) => r.type }),
    batch: t.exposeInt('batch'),
    row: t.exposeInt('row'),
    field: t.exposeString('field'),
    reason: t.exposeString('reason'),
  }),
});

interface ResultShape {
  committed: boolean;
  dryRun: boolean;
  timeZone: string;
  summaries: TypeSummaryShape[];
  derivedStageEvents: number;
  rejections: RejectionShape[];
  rejectionCount: number;
}

const ImportResult = builder.objectRef<ResultShape>('ImportResult').implement({
  fields: (t) => ({
    committed: t.exposeBoolean('committed', { description: 'Whether anything was written: false for a dry run and for a rejected import.' }),
    dryRun: t.exposeBoolean('dryRun'),
    timeZone: t.exposeString('timeZone', { description: 'The time zone that timestamps without an offset were read in (the workspace’s).' }),
    summaries: t.field({ type: [ImportTypeSummary], resolve: (r) => r.summaries }),
    derivedStageEvents: t.exposeInt('derivedStageEvents', { description: 'Stage events derived (inserted or updated) for deals given without a stage history.' }),
    rejections: t.field({ type: [ImportRejection], resolve: (r) => r.rejections, description: 'The first 100 problems.' }),
    rejectionCount: t.exposeInt('rejectionCount'),
  }),
});

builder.mutationField('importRecords', (t) =>
  t.field({
    type: ImportResult,
    description:
      'Imports or syncs records by externalId: new ones are inserted, changed ones updated, equal ones left alone. References between records use external IDs, within the request or already in the workspace. All or nothing: one rejected row and nothing is written, unless skipInvalid. A dry run checks and counts but writes nothing.',
    args: {
      batches: t.arg({ type: [ImportBatch], required: true }),
      dryRun: t.arg.boolean({ defaultValue: false }),
      skipInvalid: t.arg.boolean({ defaultValue: false, description: 'Write the valid rows and report the rest.' }),
    },
    resolve: async (_root, { batches, dryRun, skipInvalid }, ctx) => {
      if (ctx.auth.teamId !== null) {
        throw new GraphQLError('importRecords writes across the whole workspace; a key limited to a team may not use it.', { extensions: { code: 'FORBIDDEN' } });
      }
      const total = batches.reduce((n, batch) => n + batch.rows.length, 0);
      if (total > MAX_ROWS_PER_REQUEST) {
        throw badUserInput({ field: 'batches', message: `at most ${MAX_ROWS_PER_REQUEST} rows per request; got ${total}. Split them over several requests (in dependency order) or use kpigraph import.` });
      }
      const report = await importRecordsOrConflict(
        ctx.db,
        { workspaceId: ctx.workspace.id, dryRun: dryRun ?? false, skipInvalid: skipInvalid ?? false, statementTimeoutMs: 120_000 },
        async (sink) => {
          for (const [index, batch] of batches.entries()) {
            const source = sink.source(String(index));
            for (const [row, value] of batch.rows.entries()) {
              if (typeof value !== 'object' || value === null || Array.isArray(value)) {
                sink.reject(source, row, 'row', 'must be a JSON object keyed by column name.');
              } else {
                await sink.add(batch.type, value as Record<string, RawValue>, source, row, recordTypeKey);
              }
            }
          }
        },
      );
      return {
        committed: report.committed,
        dryRun: report.dryRun,
        timeZone: report.timeZone,
        summaries: report.types.filter((summary) => summary.rows > 0),
        derivedStageEvents: report.derivedStageEvents.inserted + report.derivedStageEvents.updated,
        rejections: report.rejections.map((r) => ({ type: r.type, batch: Number(r.source), row: r.line, field: r.field, reason: r.reason })),
        rejectionCount: report.rejectionCount,
      };
    },
  }),
);
