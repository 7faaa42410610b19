import { AuthenticationError, TooManyFailuresError } from '../errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { KeyIdentity } from './api-keys.js';
import { bearerToken, hashKey, verifyApiKey } from './api-keys.js';

export interface AuthenticatorOptions {
  /** How long a verified key is trusted before it is looked up again (revocation delay across processes). */
  cacheMs?: number;
  /** How often a key's lastUsedAt is written at most. */
  touchEveryMs?: number;
  /** Failed authentications a client address may have per minute before unverified keys from it are refused unread. */
  maxFailuresPerMinute?: number;
}

const failureWindowMs = 60_000;
/** Bounds each in-memory map, so that a flood of made-up keys cannot grow them for ever. */
const maxEntries = 10_000;

/**
 * Turns an Authorization header into a key identity. Verified keys are
 * cached briefly, so a dashboard's requests cost no lookup each; a key
 * revoked through this process is dropped from the cache at once. Refused
 * keys are remembered too (the same bad key costs one lookup a minute), and
 * a client address with many failures has its unverified keys refused
 * without any lookup until its minute is over.
 */
export class Authenticator {
  private readonly cache = new Map<string, { identity: KeyIdentity; until: number }>();
  private readonly touched = new Map<number, number>();
  private readonly refused = new Map<string, number>();
  private readonly failures = new Map<string, { count: number; since: number }>();
  private readonly knownPrefixes = new Map<string, number>();
  private readonly cacheMs: number;
  private readonly touchEveryMs: number;
  private readonly maxFailures: number;

  constructor(
    private readonly prisma: PrismaClient,
    options: AuthenticatorOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 10_000;
    this.touchEveryMs = options.touchEveryMs ?? 60_000;
    this.maxFailures = options.maxFailuresPerMinute ?? 30;
  }

  /** Whether a key with this prefix was verified by this process lately (so its requests may count against the key). */
  isKnownPrefix(prefix: string): boolean {
    return (this.knownPrefixes.get(prefix) ?? 0) > Date.now();
  }

  /** The identity of the request's key; UNAUTHENTICATED when missing, malformed, unknown or revoked. */
  async authenticate(authorization: string | null | undefined, clientAddress = 'unknown'): Promise<KeyIdentity> {
    const token = bearerToken(authorization);
    if (!token) {
      throw new AuthenticationError('This API needs an API key: send "Authorization: Bearer <key>" (create one with `kpigraph keys create`).');
    }
    const cacheKey = hashKey(token);
    const now = Date.now();
    const cached = this.cache.get(cacheKey);
    let identity = cached && cached.until > now ? cached.identity : null;
    if (!identity) {
      if ((this.refused.get(cacheKey) ?? 0) > now) throw this.fail(clientAddress, now);
      const failed = this.failures.get(clientAddress);
      if (failed && failed.since + failureWindowMs > now && failed.count >= this.maxFailures) {
        const seconds = Math.ceil((failed.since + failureWindowMs - now) / 1000);
        throw new TooManyFailuresError(`Too many requests with invalid API keys from this address; retry in ${seconds} s.`, seconds);
      }
      identity = await verifyApiKey(this.prisma, token);
      if (!identity) {
        remember(this.refused, cacheKey, now + failureWindowMs);
        throw this.fail(clientAddress, now);
      }
      this.cache.set(cacheKey, { identity, until: now + this.cacheMs });
      remember(this.knownPrefixes, identity.prefix, now + failureWindowMs);
    }
    await this.touch(identity.keyId, now);
    return identity;
  }

  private fail(clientAddress: string, now: number): AuthenticationError {
    const current = this.failures.get(clientAddress);
    if (current && current.since + failureWindowMs > now) current.count += 1;
    else remember(this.failures, clientAddress, { count: 1, since: now });
    return new AuthenticationError('The API key is not valid or has been revoked.');
  }

  /** Forgets a key at once (after revocation in this process). */
  forget(keyId: number): void {
    for (const [hash, entry] of this.cache) if (entry.identity.keyId === keyId) this.cache.delete(hash);
  }

  private async touch(keyId: number, now: number): Promise<void> {
    const last = this.touched.get(keyId) ?? 0;
    if (now - last < this.touchEveryMs) return;
    this.touched.set(keyId, now);
    await this.prisma.apiKey.update({ where: { id: keyId }, data: { lastUsedAt: new Date(now) } });
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= maxEntries) map.clear();
  map.set(key, value);
}
