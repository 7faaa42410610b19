import { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  /** When refused, how long until one request is allowed again. */
  retryAfterMs: number;
}

/** A token bucket per identity: `burst` requests at once, refilled at `perMinute`. */
export interface RateLimitStore {
  take(identity: string): Promise<RateDecision>;
  close(): Promise<void>;
}

export interface BucketOptions {
  perMinute: number;
  burst: number;
}

/** One process's buckets; enough for a single server. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly options: BucketOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = options.perMinute / 60_000;
  }

  take(identity: string): Promise<RateDecision> {
    const now = this.now();
    const bucket = this.buckets.get(identity) ?? { tokens: this.options.burst, at: now };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.set(identity, bucket);
    if (this.buckets.size > 10_000) this.sweep(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return Promise.resolve({ allowed: true, retryAfterMs: 0 });
    }
    return Promise.resolve({ allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / this.perMs) });
  }

  /** A bucket that would be full by now is the same as none: forget it, so many callers cannot grow the map for ever. */
  private sweep(now: number): void {
    for (const [identity, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.options.burst) this.buckets.delete(identity);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

// One atomic step per request, on Redis' clock so that processes with skewed clocks agree.
const takeScript = `
local burst = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * perMs)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) / perMs)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perMs) + 1000)
return { allowed, wait }
`;

export interface RedisStoreOptions extends BucketOptions {
  url: string;
  /** Namespace of the bucket keys. */
  keyPrefix?: string;
  /** Called when Redis cannot answer; the request is then let through. */
  onError?: (error: Error) => void;
}

/**
 * Buckets in Redis, shared by every server process that uses it. When Redis
 * is unreachable requests are allowed (fail open): an outage of the limiter
 * should not become an outage of the API.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis;
  private readonly perMs: number;
  private readonly keyPrefix: string;

  private lastReport = 0;

  constructor(private readonly options: RedisStoreOptions) {
    this.perMs = options.perMinute / 60_000;
    this.keyPrefix = options.keyPrefix ?? 'kpigraph:ratelimit:';
    this.redis = new Redis(options.url, { maxRetriesPerRequest: 1, commandTimeout: 500, connectTimeout: 2_000 });
    this.redis.on('error', (error: Error) => this.report(error));
  }

  /** At most one report per 30 s: a Redis outage makes ioredis fail every reconnect and every command. */
  private report(error: Error): void {
    const now = Date.now();
    if (now - this.lastReport < 30_000) return;
    this.lastReport = now;
    this.options.onError?.(error);
  }

  async take(identity: string): Promise<RateDecision> {
    try {
      const reply = await this.redis.eval(takeScript, 1, `${this.keyPrefix}${identity}`, this.options.burst, this.perMs);
      if (!Array.isArray(reply)) throw new Error(`unexpected reply from the rate-limit script: ${JSON.stringify(reply)}`);
      const [allowed, wait] = reply.map(Number);
      return { allowed: allowed === 1, retryAfterMs: wait ?? 0 };
    } catch (error) {
      this.report(error instanceof Error ? error : new Error(String(error)));
      return { allowed: true, retryAfterMs: 0 };
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
