import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { CellValues } from '../define.js';
import { deserializeCellValues, serializeCellValues } from './serialize.js';

/** What the cache has done since it was created, for metrics and benchmarks. */
export interface ResultCacheCounters {
  /** Cells answered from this process' memory. */
  memoryHits: number;
  /** Cells answered from Redis (then kept in memory too). */
  redisHits: number;
  /** Cells computed because no tier had them. */
  misses: number;
  /** Cells stored after computing. */
  stores: number;
  /** Redis commands that failed; those lookups count as misses. */
  redisErrors: number;
}

export interface ResultCacheOptions {
  /** Most cells kept in memory (least recently used go first). */
  maxEntries: number;
  /** `redis://…`: a second tier shared by every process. */
  redisUrl?: string;
  /** How long Redis keeps a cell; versions move on, so old entries only wait to expire. */
  redisTtlSeconds?: number;
  /** Namespace of the Redis keys. */
  keyPrefix?: string;
  /** Told about Redis trouble (at most every 30 s); the cache then works from memory. */
  onRedisError?: (error: Error) => void;
}

/**
 * Computed KPI cells by key. Keys name the workspace's data version, so an
 * entry is never wrong, only unused once the version moves: nothing is ever
 * invalidated. Memory first (bounded LRU), then Redis when configured.
 */
export class KpiResultCache {
  private readonly memory: LRUCache<string, CellValues>;
  private readonly redis: Redis | undefined;
  private readonly ttlSeconds: number;
  readonly keyPrefix: string;
  private lastReport = 0;
  readonly counters: ResultCacheCounters = { memoryHits: 0, redisHits: 0, misses: 0, stores: 0, redisErrors: 0 };

  constructor(private readonly options: ResultCacheOptions) {
    this.memory = new LRUCache({ max: options.maxEntries });
    this.ttlSeconds = options.redisTtlSeconds ?? 3_600;
    this.keyPrefix = options.keyPrefix ?? 'kpigraph:cell:';
    if (options.redisUrl) {
      this.redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 500, connectTimeout: 2_000 });
      this.redis.on('error', (error: Error) => this.report(error));
    }
  }

  /** The share of looked-up cells answered without computing (0 before any lookup). */
  hitRatio(): number {
    const { memoryHits, redisHits, misses } = this.counters;
    const total = memoryHits + redisHits + misses;
    return total === 0 ? 0 : (memoryHits + redisHits) / total;
  }

  /** Cells kept in this process' memory now. */
  get memorySize(): number {
    return this.memory.size;
  }

  async getMany(keys: readonly string[]): Promise<(CellValues | undefined)[]> {
    const found: (CellValues | undefined)[] = keys.map((key) => this.memory.get(key));
    const absent = keys.flatMap((key, index) => (found[index] === undefined ? [index] : []));
    this.counters.memoryHits += keys.length - absent.length;
    if (absent.length > 0 && this.redis) {
      try {
        const texts = await this.redis.mget(absent.map((index) => this.keyPrefix + keys[index]!));
        texts.forEach((text, i) => {
          if (text === null) return;
          const values = deserializeCellValues(text);
          found[absent[i]!] = values;
          this.memory.set(keys[absent[i]!]!, values);
          this.counters.redisHits += 1;
        });
      } catch (error) {
        this.counters.redisErrors += 1;
        this.report(error);
      }
    }
    this.counters.misses += found.filter((values) => values === undefined).length;
    return found;
  }

  async setMany(entries: readonly (readonly [string, CellValues])[]): Promise<void> {
    if (entries.length === 0) return;
    for (const [key, values] of entries) this.memory.set(key, values);
    this.counters.stores += entries.length;
    if (!this.redis) return;
    try {
      const pipeline = this.redis.pipeline();
      for (const [key, values] of entries) pipeline.set(this.keyPrefix + key, serializeCellValues(values), 'EX', this.ttlSeconds);
      await pipeline.exec();
    } catch (error) {
      this.counters.redisErrors += 1;
      this.report(error);
    }
  }

  async close(): Promise<void> {
    this.memory.clear();
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }

  /** At most one report per 30 s: an outage fails every command. */
  private report(error: unknown): void {
    const now = Date.now();
    if (now - this.lastReport < 30_000) return;
    this.lastReport = now;
    this.options.onRedisError?.(error instanceof Error ? error : new Error(String(error)));
  }
}
