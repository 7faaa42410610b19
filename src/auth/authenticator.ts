import { GraphQLError } from 'graphql';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { KeyIdentity } from './api-keys.js';
import { bearerToken, hashKey, verifyApiKey } from './api-keys.js';

export interface AuthenticatorOptions {
  /** How long a verified key is trusted before it is looked up again (revocation delay across processes). */
  cacheMs?: number;
  /** How often a key's lastUsedAt is written at most. */
  touchEveryMs?: number;
}

/**
 * Turns an Authorization header into a key identity. Verified keys are
 * cached briefly, so a dashboard's requests cost no lookup each; a key
 * revoked through this process is dropped from the cache at once.
 */
export class Authenticator {
  private readonly cache = new Map<string, { identity: KeyIdentity; until: number }>();
  private readonly touched = new Map<number, number>();
  private readonly cacheMs: number;
  private readonly touchEveryMs: number;

  constructor(
    private readonly prisma: PrismaClient,
    options: AuthenticatorOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 10_000;
    this.touchEveryMs = options.touchEveryMs ?? 60_000;
  }

  /** The identity of the request's key; UNAUTHENTICATED when missing, malformed, unknown or revoked. */
  async authenticate(authorization: string | null | undefined): Promise<KeyIdentity> {
    const token = bearerToken(authorization);
    if (!token) {
      throw unauthenticated('This API needs an API key: send "Authorization: Bearer <key>" (create one with `kpigraph keys create`).');
    }
    const cacheKey = hashKey(token);
    const now = Date.now();
    const cached = this.cache.get(cacheKey);
    let identity = cached && cached.until > now ? cached.identity : null;
    if (!identity) {
      identity = await verifyApiKey(this.prisma, token);
      if (!identity) throw unauthenticated('The API key is not valid or has been revoked.');
      this.cache.set(cacheKey, { identity, until: now + this.cacheMs });
    }
    await this.touch(identity.keyId, now);
    return identity;
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

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}
