import type { ExecutionResult } from 'graphql';
import type { Config } from '../../src/config.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createServer } from '../../src/server/create-server.js';

export interface TestClient {
  server: KpigraphServer;
  /** Runs one operation in-process through `yoga.fetch`. */
  execute<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<ExecutionResult<Data> & { status: number }>;
}

export function testConfig(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', DEMO_DATA: 'false', ...overrides });
}

/** A server on `db` for `workspaceId`, called in-process. */
export function createTestClient(db: Database, workspaceId: number, overrides: Partial<Record<keyof Config, string>> = {}): TestClient {
  const server = createServer({ db, config: testConfig({ DEFAULT_WORKSPACE_ID: String(workspaceId), ...overrides }) });
  return {
    server,
    async execute(query, variables, headers = {}) {
      const response = await server.yoga.fetch('http://kpigraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as ExecutionResult<never>;
      return { ...body, status: response.status } as never;
    },
  };
}
