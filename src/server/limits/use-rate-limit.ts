import type { Plugin } from 'graphql-yoga';
import { bearerToken, keyPattern } from '../../auth/api-keys.js';
import { clientAddress } from '../client-address.js';
import type { RateLimitStore } from './rate-limit-store.js';

export interface RateLimitOptions {
  store: RateLimitStore;
  /** Only requests to this path are counted (not /health, /ready). */
  endpoint: string;
  /** Take the client IP from X-Forwarded-For; only true behind a proxy that sets it. */
  trustProxy?: boolean;
  /** Whether a key prefix belongs to a key verified lately; others count against the client's address. */
  isKnownPrefix: (prefix: string) => boolean;
}

/**
 * Who a request counts against: the API key's prefix when that key was
 * verified lately (a forged key with a stolen prefix only spends its owner's
 * budget, and is refused anyway), else the client's address — for a missing
 * key and for a made-up one alike, so that rotating made-up keys buys nothing.
 */
export function rateLimitIdentity(
  request: Request,
  serverContext: unknown,
  isKnownPrefix: (prefix: string) => boolean,
  trustProxy = false,
): string {
  const token = bearerToken(request.headers.get('authorization'));
  const prefix = token ? keyPattern.exec(token)?.[1] : undefined;
  if (prefix && isKnownPrefix(prefix)) return `key:${prefix}`;
  return `ip:${clientAddress(request, serverContext, trustProxy)}`;
}

/**
 * A token-bucket limit per API key (or IP), before the request is parsed:
 * over it, HTTP 429 with Retry-After and a GraphQL error RATE_LIMITED.
 */
export function useRateLimit(options: RateLimitOptions): Plugin {
  return {
    async onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (url.pathname !== options.endpoint) return;
      const decision = await options.store.take(rateLimitIdentity(request, serverContext, options.isKnownPrefix, options.trustProxy));
      if (decision.allowed) return;
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      const body = {
        errors: [
          {
            message: `Too many requests for this API key; retry in ${seconds} s.`,
            extensions: { code: 'RATE_LIMITED', retryAfterSeconds: seconds },
          },
        ],
      };
      endResponse(
        new fetchAPI.Response(JSON.stringify(body), {
          status: 429,
          headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(seconds) },
        }),
      );
    },
  };
}
