/**
 * A batch of file records to check, of either format: what the importing
 * thread hands to a parse worker (parse-pool.ts), or checks itself when the
 * file is small, with the same code either way.
 */
import type { BatchPlace, CheckedBatch } from './checked-batch.js';
import type { CsvBatch } from './csv-batches.js';
import { checkCsvBatch } from './csv-batches.js';
import type { NdjsonBatch } from './ndjson-batches.js';
import { checkNdjsonBatch } from './ndjson-batches.js';
import type { TimestampReader } from './values.js';

export type ParseJob = { format: 'ndjson'; batch: NdjsonBatch } | { format: 'csv'; batch: CsvBatch };

export function checkJob(job: ParseJob, place: BatchPlace, timestamps: TimestampReader): CheckedBatch {
  return job.format === 'csv' ? checkCsvBatch(job.batch, place, timestamps) : checkNdjsonBatch(job.batch, place, timestamps);
}
