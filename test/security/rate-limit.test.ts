import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createFixture } from '../../src/testing/fixture.js';
import type { KpigraphServer } from '../../src/server/create-server.js';
import { MemoryRateLimitStore, RedisRateLimitStore } from '../../src/server/limits/rate-limit-store.js';
import { rateLimitIdentity } from '../../src/server/limits/use-rate-limit.js';
import { createTestDatabase } from '../support/database.js';
import { mintTestKey } from '../support/server.js';
import { post, serverOn, statementsDuring } from './support.js';

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

  it('counts a request against its key prefix when that key was verified lately, else against the client IP', () => {
    const withKey = new Request('http://x/graphql', { headers: { authorization: `Bearer kpg_abcd1234_${'s'.repeat(32)}` } });
    const peer = { req: { socket: { remoteAddress: '10.0.0.1' } } };
    expect(rateLimitIdentity(withKey, peer, (prefix) => prefix === 'abcd1234')).toBe('key:abcd1234');
    expect(rateLimitIdentity(withKey, peer, () => false)).toBe('ip:10.0.0.1');
    const malformed = new Request('http://x/graphql', { headers: { authorization: 'Bearer nonsense', 'x-forwarded-for': '203.0.113.9, 10.0.0.1' } });
    expect(rateLimitIdentity(malformed, peer, () => true)).toBe('ip:10.0.0.1');
    expect(rateLimitIdentity(malformed, peer, () => true, true)).toBe('ip:203.0.113.9');
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
    // A key's first request, before it is verified, counts against the client's address.
    expect((await post(limited, key, query)).status).toBe(200);
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

  it('in memory: made-up keys share the client IP’s bucket like missing ones, and cost no lookup once refused', async () => {
    const limited = server({ RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '5' });
    const made = (i: number) => `kpg_${String(i).padStart(8, 'z')}_${'x'.repeat(32)}`;
    const { result: statuses, statements } = await statementsDuring(db, async () => {
      const seen: number[] = [];
      for (let i = 0; i < 200; i++) seen.push((await post(limited, made(i), query)).status);
      return seen;
    });
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(195);
    // One key lookup per request let through; none for the 195 refused.
    expect(statements.filter((sql) => sql.includes('"ApiKey"'))).toHaveLength(5);
    const missing = await post(limited, null, query);
    expect(missing.status).toBe(429);
  });

  it('refuses unverified keys from an address with many failed authentications without a lookup, verified keys still pass', async () => {
    const open = server({ RATE_LIMIT_PER_MINUTE: '0' });
    const key = await mintTestKey(db, workspaceId);
    expect((await post(open, key, query)).status).toBe(200);
    for (let i = 0; i < 30; i++) expect((await post(open, `kpg_${String(i).padStart(8, 'q')}_${'x'.repeat(32)}`, query)).status).toBe(401);
    const { result: refused, statements } = await statementsDuring(db, () => post(open, `kpg_newnewnw_${'x'.repeat(32)}`, query));
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(statements).toEqual([]);
    expect((await post(open, key, query)).status).toBe(200);
  });

  it('is off with RATE_LIMIT_PER_MINUTE=0', async () => {
    const unlimited = server({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_BURST: '1' });
    const key = await mintTestKey(db, workspaceId);
    for (let i = 0; i < 5; i++) expect((await post(unlimited, key, query)).status).toBe(200);
  });

  it('in Redis: two server processes share one bucket per key', async () => {
    const overrides = { RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '4', REDIS_URL: redisUrl, RATE_LIMIT_TRUST_PROXY: 'true' };
    const [a, b] = [server(overrides), server(overrides)];
    const key = await mintTestKey(db, workspaceId);
    // Each process verifies the key once, counted against the client's address (one of this run's own in the shared Redis).
    const client = { 'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 250)}-${Date.now()}` };
    expect((await post(a, key, '{ __typename }', {}, client)).status).toBe(200);
    expect((await post(b, key, '{ __typename }', {}, client)).status).toBe(200);
    expect((await post(a, key, query)).status).toBe(200);
    expect((await post(b, key, query)).status).toBe(200);
    expect((await post(a, key, query)).status).toBe(200);
    expect((await post(b, key, query)).status).toBe(200);
    const refusedByB = await post(b, key, query);
    expect(refusedByB.status).toBe(429);
    expect(refusedByB.body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(Number(refusedByB.retryAfter)).toBeGreaterThan(50);
    expect((await post(a, key, query)).status).toBe(429);
    expect((await post(a, await mintTestKey(db, workspaceId), query, {}, client)).status).toBe(200);
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
