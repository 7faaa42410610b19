/**
 * A parse worker (see parse-pool.ts): checks the NDJSON and CSV batches it is sent
 * with the workspace's time zone given at start, and answers each with its
 * CheckedBatch. Loaded through parse-worker-boot.js, which registers tsx.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BatchPlace } from './checked-batch.js';
import { transferables } from './checked-batch.js';
import type { ParseJob } from './parse-job.js';
import { checkJob } from './parse-job.js';
import { TimestampReader } from './values.js';

const { timeZone } = workerData as { timeZone: string };
const timestamps = new TimestampReader(timeZone);
const port = parentPort!;

port.on('message', ({ id, job, place }: { id: number; job: ParseJob; place: BatchPlace }) => {
  const checked = checkJob(job, place, timestamps);
  port.postMessage({ id, checked }, transferables(checked));
});
