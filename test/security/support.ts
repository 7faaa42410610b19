import type { Database } from '../../src/db/client.js';
import type { HostileRequest } from './hostile-cases.js';
import type { TestClient } from '../support/server.js';

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or null when it was not JSON. */
  json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } | null;
}

/** Sends a raw request in-process (the test client only speaks well-formed JSON), with the client's key unless told not to. */
export async function send(client: TestClient, request: HostileRequest): Promise<RawResponse> {
  const method = request.method ?? 'POST';
  const headers = new Headers(request.headers);
  if (!request.noKey) headers.set('authorization', `Bearer ${await client.key()}`);
  let body: string | undefined;
  if (method === 'POST') {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const url = `http://kpigraph.test/graphql${request.search ? `?${request.search}` : ''}`;
  const response = await client.server.yoga.fetch(url, { method, headers, body });
  const text = await response.text();
  let json: RawResponse['json'] = null;
  try {
    json = JSON.parse(text) as RawResponse['json'];
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The SQL statements sent while `work` runs. */
export async function statementsDuring<T>(db: Database, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const stop = db.onStatement((event) => statements.push(event.sql));
  try {
    return { result: await work(), statements };
  } finally {
    stop();
  }
}
