/**
 * Which URLs webhooks may be sent to: https on a public address. Private,
 * loopback, link-local and unique-local addresses (and plain http) are
 * refused unless WEBHOOK_ALLOW_PRIVATE is set, so an API key cannot make the
 * server probe its own network. Checked at registration and before each send.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

const privateV4 = [/^10\./, /^127\./, /^0\./, /^169\.254\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./];

/** Whether an IP address is not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const mapped = address.toLowerCase().replace(/^::ffff:/, '');
  if (isIP(mapped) === 4) return privateV4.some((pattern) => pattern.test(mapped));
  return mapped === '::1' || mapped === '::' || /^f[cd]/.test(mapped) || /^fe[89ab]/.test(mapped);
}

/** The reason a URL may not receive webhooks, or null when it may. */
export async function refusedTarget(url: string, allowPrivate: boolean): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL.';
  }
  if (parsed.protocol !== 'https:' && !(allowPrivate && parsed.protocol === 'http:')) return 'must be an https:// URL.';
  if (parsed.username || parsed.password) return 'must not carry a user name or password.';
  if (allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    return `its host "${host}" cannot be resolved.`;
  }
  const blocked = addresses.find(isPrivateAddress);
  return blocked ? `resolves to a private or loopback address (${blocked}); set WEBHOOK_ALLOW_PRIVATE=true to allow it.` : null;
}
