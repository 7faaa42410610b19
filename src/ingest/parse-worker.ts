/**
 * A parse worker (see parse-pool.ts): checks the NDJSON batches it is sent
 * with the workspace's time zone given at start, and answers each with its
 * CheckedBatch. Loaded through parse-worker-boot.js, which registers tsx.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BatchPlace, NdjsonBatch } from './ndjson-batches.js';
import { checkNdjsonBatch } from './ndjson-batches.js';
import { TimestampReader } from './values.js';

const { timeZone } = workerData as { timeZone: string };
const timestamps = new TimestampReader(timeZone);
const port = parentPort!;

port.on('message', ({ id, batch, place }: { id: number; batch: NdjsonBatch; place: BatchPlace }) => {
  port.postMessage({ id, checked: checkNdjsonBatch(batch, place, timestamps) });
});
