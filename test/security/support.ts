import type { Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createServer } from '../../src/server/create-server.js';
import { testConfig } from '../support/server.js';
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

/**
 * A server of its own on a shared database (whose closing stays with the
 * test): `close()` then only releases what the server holds, its Redis
 * connection included.
 */
export function serverOn(db: Database, overrides: Partial<Record<keyof Config, string>> = {}): KpigraphServer {
  const borrowed: Database = { ...db, close: () => Promise.resolve() };
  return createServer({ db: borrowed, config: testConfig(overrides) });
}

/** One JSON POST with an API key (or none), status and body. */
export async function post(
  server: KpigraphServer,
  key: string | null,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; retryAfter: string | null; body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const response = await server.yoga.fetch('http://kpigraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as never };
}
