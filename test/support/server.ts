import type { ExecutionResult } from 'graphql';
import { createApiKey } from '../../src/auth/api-keys.js';
import type { Config } from '../../src/config.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import type { ApiKeyRole } from '../../src/generated/prisma/client.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { createServer } from '../../src/server/create-server.js';

export interface TestClient {
  server: KpigraphServer;
  /** The client's API key (minted on first use). */
  key(): Promise<string>;
  /**
   * Runs one operation in-process through `yoga.fetch`, with the client's key
   * unless `headers` carries its own `authorization` (empty: no key at all).
   */
  execute<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<ExecutionResult<Data> & { status: number }>;
}

export interface TestKeyOptions {
  role?: ApiKeyRole;
  teamId?: number | null;
}

export function testConfig(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  // Tests that count statements expect every cell computed; cache tests turn it on.
  return loadConfig({ NODE_ENV: 'test', DEMO_DATA: 'false', KPI_CACHE: 'false', ...overrides });
}

/** Mints a key for a workspace straight in the database. */
export async function mintTestKey(db: Database, workspaceId: number, options: TestKeyOptions = {}): Promise<string> {
  const { key } = await createApiKey(db.prisma, {
    workspaceId,
    name: `test ${options.role ?? 'ADMIN'}`,
    role: options.role ?? 'ADMIN',
    teamId: options.teamId ?? null,
  });
  return key;
}

/** A server on `db` whose requests carry a key of `workspaceId` (an admin's unless told otherwise), called in-process. */
export function createTestClient(
  db: Database,
  workspaceId: number,
  overrides: Partial<Record<keyof Config, string>> = {},
  keyOptions: TestKeyOptions = {},
): TestClient {
  const server = createServer({ db, config: testConfig(overrides) });
  let key: Promise<string> | undefined;
  const getKey = () => (key ??= mintTestKey(db, workspaceId, keyOptions));
  return {
    server,
    key: getKey,
    async execute(query, variables, headers = {}) {
      const authorization = 'authorization' in headers ? headers['authorization']! : `Bearer ${await getKey()}`;
      const { authorization: _ignored, ...rest } = headers;
      const response = await server.yoga.fetch('http://kpigraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}), ...rest },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as ExecutionResult<never>;
      return { ...body, status: response.status } as never;
    },
  };
}
