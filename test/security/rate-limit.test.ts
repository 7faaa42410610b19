import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/kpi/fixture.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { MemoryRateLimitStore, RedisRateLimitStore } from '../../src/server/limits/rate-limit-store.js';
import { rateLimitIdentity } from '../../src/server/limits/use-rate-limit.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey } from '../support/server.js';
import { post, serverOn } from './support.js';

const redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const query = '{ kpis { key } }';

describe('the token bucket', () => {
  it('allows the burst, then one request per refill interval, and says how long to wait', async () => {
    let now = 0;
    const store = new MemoryRateLimitStore({ perMinute: 60, burst: 3 }, () => now);
    for (let i = 0; i < 3; i++) expect((await store.take('a')).allowed).toBe(true);
    expect(await store.take('a')).toEqual({ allowed: false, retryAfterMs: 1000 });
    expect((await store.take('b')).allowed).toBe(true);
    now = 999;
    expect((await store.take('a')).allowed).toBe(false);
    now = 1000;
    expect((await store.take('a')).allowed).toBe(true);
    expect((await store.take('a')).allowed).toBe(false);
    now = 60_000;
    for (let i = 0; i < 3; i++) expect((await store.take('a')).allowed).toBe(true);
    expect((await store.take('a')).allowed).toBe(false);
  });

  it('counts a request against its key prefix, without looking the key up, else against the client IP', () => {
    const withKey = new Request('http://x/graphql', { headers: { authorization: `Bearer kpg_abcd1234_${'s'.repeat(32)}` } });
    expect(rateLimitIdentity(withKey, {})).toBe('key:abcd1234');
    const malformed = new Request('http://x/graphql', { headers: { authorization: 'Bearer nonsense', 'x-forwarded-for': '203.0.113.9, 10.0.0.1' } });
    expect(rateLimitIdentity(malformed, { req: { socket: { remoteAddress: '10.0.0.1' } } })).toBe('ip:10.0.0.1');
    expect(rateLimitIdentity(malformed, { req: { socket: { remoteAddress: '10.0.0.1' } } }, true)).toBe('ip:203.0.113.9');
  });
});

describe('rate limit per API key', () => {
  let db: Database;
  let workspaceId: number;
  const servers: KpigraphServer[] = [];
  const server = (overrides: Parameters<typeof serverOn>[1]) => {
    const created = serverOn(db, overrides);
    servers.push(created);
    return created;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ workspaceId } = await createFixture(db, { teams: ['North'] }));
  });
  afterAll(async () => {
    for (const created of servers) await created.close();
    await db.close();
  });

  it('in memory: over the burst, 429 with RATE_LIMITED and Retry-After; other keys are not affected', async () => {
    // One a minute after the burst, so the slow first requests (plugins load) refill nothing.
    const limited = server({ RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '3' });
    const [key, other] = await Promise.all([mintTestKey(db, workspaceId), mintTestKey(db, workspaceId)]);
    for (let i = 0; i < 3; i++) expect((await post(limited, key, query)).status).toBe(200);
    const refused = await post(limited, key, query);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(50);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(refused.body.errors?.[0]?.message).toMatch(/Too many requests.*retry in \d+ s/);
    expect((await post(limited, other, query)).status).toBe(200);
  });

  it('in memory: requests without a key share the client IP’s bucket', async () => {
    const limited = server({ RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '2' });
    expect((await post(limited, null, query)).status).toBe(401);
    expect((await post(limited, null, query)).status).toBe(401);
    expect((await post(limited, null, query)).status).toBe(429);
  });

  it('is off with RATE_LIMIT_PER_MINUTE=0', async () => {
    const unlimited = server({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_BURST: '1' });
    const key = await mintTestKey(db, workspaceId);
    for (let i = 0; i < 5; i++) expect((await post(unlimited, key, query)).status).toBe(200);
  });

  it('in Redis: two server processes share one bucket per key', async () => {
    const overrides = { RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '4', REDIS_URL: redisUrl };
    const [a, b] = [server(overrides), server(overrides)];
    const key = await mintTestKey(db, workspaceId);
    expect((await post(a, key, query)).status).toBe(200);
    expect((await post(b, key, query)).status).toBe(200);
    expect((await post(a, key, query)).status).toBe(200);
    expect((await post(b, key, query)).status).toBe(200);
    const refusedByB = await post(b, key, query);
    expect(refusedByB.status).toBe(429);
    expect(refusedByB.body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(Number(refusedByB.retryAfter)).toBeGreaterThan(50);
    expect((await post(a, key, query)).status).toBe(429);
    expect((await post(a, await mintTestKey(db, workspaceId), query)).status).toBe(200);
  });

  it('in Redis: the bucket refills on Redis’ clock', async () => {
    const store = new RedisRateLimitStore({ url: redisUrl, perMinute: 600, burst: 1, keyPrefix: `kpigraph:test:${Date.now()}:` });
    try {
      expect((await store.take('k')).allowed).toBe(true);
      const refused = await store.take('k');
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(100);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await store.take('k')).allowed).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('when Redis is unreachable, lets requests through and reports it', async () => {
    const problems: Error[] = [];
    const store = new RedisRateLimitStore({ url: 'redis://127.0.0.1:1', perMinute: 1, burst: 1, onError: (error) => problems.push(error) });
    try {
      expect((await store.take('k')).allowed).toBe(true);
      expect((await store.take('k')).allowed).toBe(true);
      expect(problems.length).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
