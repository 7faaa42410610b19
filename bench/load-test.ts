/**
 * Throughput under concurrency: autocannon in a child process (so the load
 * generator does not share the server's event loop) against the listening
 * server, one operation repeated by N connections for a fixed time.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Result } from 'autocannon';

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMedianMs: number;
  latencyP97_5Ms: number;
  latencyP99Ms: number;
  requests: number;
  /** Non-2xx responses, socket errors and timeouts together. */
  failures: number;
}

const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

export function runLoad(url: string, key: string, body: string, connections: number, durationSeconds: number): Promise<LoadResult> {
  const args = [
    autocannonBin, '--json', '-c', String(connections), '-d', String(durationSeconds), '-m', 'POST',
    '-H', 'content-type=application/json', '-H', `authorization=Bearer ${key}`, '-b', body,
    // A dashboard on a large dataset under 50 connections can queue for long.
    '-t', '120', url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${err.slice(-500)}`));
      try {
        const result = JSON.parse(out) as Result;
        resolve({
          connections,
          durationSeconds,
          requestsPerSecond: Math.round(result.requests.average * 10) / 10,
          latencyMedianMs: result.latency.p50,
          latencyP97_5Ms: result.latency.p97_5,
          latencyP99Ms: result.latency.p99,
          requests: result.requests.total,
          failures: result.non2xx + result.errors + result.timeouts,
        });
      } catch (error) {
        reject(new Error(`autocannon gave no JSON: ${String(error)}; ${err.slice(-500)}`));
      }
    });
  });
}
