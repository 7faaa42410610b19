import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase } from '../support/database.js';
import { serverOn } from './support.js';

describe('CORS from CORS_ORIGINS', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.close());

  const preflight = (origins: string | undefined, origin: string) => {
    const server = serverOn(db, origins === undefined ? {} : { CORS_ORIGINS: origins });
    return server.yoga.fetch('http://kpigraph.test/graphql', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
  };

  it('sends no CORS headers to any origin when unset, nor credentials to any', async () => {
    const response = await preflight(undefined, 'https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('answers an allowed origin with itself, without credentials, and others with nothing', async () => {
    const origins = 'https://app.example.com, http://localhost:5173';
    const allowed = await preflight(origins, 'http://localhost:5173');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/^authorization, content-type/);
    const refused = await preflight(origins, 'https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('with *, allows any origin and still no credentials', async () => {
    const response = await preflight('*', 'https://anyone.example');
    expect(response.headers.get('access-control-allow-origin')).not.toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses a malformed origin in the setting, naming it', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://ok.example,app.example.com/path' })).toThrow(/CORS_ORIGINS.*must be an origin/);
  });
});
