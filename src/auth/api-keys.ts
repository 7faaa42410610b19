import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRole, PrismaClient } from '../generated/prisma/client.js';

/**
 * API keys: `kpg_<prefix>_<secret>`. The prefix (8 characters) is stored in
 * clear to find the key and to show people which key is which; the whole key
 * is stored only as a SHA-256 hash, so a database leak reveals no key. A key
 * is shown once, when it is created.
 */
export const keyPattern = /^kpg_([a-z0-9]{8})_([A-Za-z0-9_-]{32,})$/;

export interface KeyIdentity {
  keyId: number;
  workspaceId: number;
  role: ApiKeyRole;
  /** Set when the key only sees one team's records. */
  teamId: number | null;
  prefix: string;
}

const prefixAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomPrefix(): string {
  const bytes = randomBytes(8);
  return Array.from(bytes, (byte) => prefixAlphabet[byte % prefixAlphabet.length]).join('');
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A new random key and its parts. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomPrefix();
  const key = `kpg_${prefix}_${randomBytes(24).toString('base64url')}`;
  return { key, prefix, hash: hashKey(key) };
}

export interface CreateKeyOptions {
  workspaceId: number;
  name: string;
  role: ApiKeyRole;
  teamId?: number | null;
}

/** Stores a new key; the returned `key` is the only time it is seen in clear. */
export async function createApiKey(prisma: PrismaClient, options: CreateKeyOptions): Promise<{ key: string; id: number; prefix: string }> {
  const { key, prefix, hash } = generateApiKey();
  const record = await prisma.apiKey.create({
    data: { workspaceId: options.workspaceId, name: options.name, role: options.role, teamId: options.teamId ?? null, prefix, hash },
  });
  return { key, id: record.id, prefix };
}

/** The bearer token of an Authorization header, or null when there is none. */
export function bearerToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/**
 * The identity behind a key, or null for an unknown, malformed or revoked
 * one. Compares hashes in constant time.
 */
export async function verifyApiKey(prisma: PrismaClient, key: string): Promise<KeyIdentity | null> {
  const match = keyPattern.exec(key);
  if (!match) return null;
  const prefix = match[1]!;
  const record = await prisma.apiKey.findUnique({ where: { prefix } });
  if (!record || record.revokedAt) return null;
  const expected = Buffer.from(record.hash, 'hex');
  const actual = Buffer.from(hashKey(key), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return { keyId: record.id, workspaceId: record.workspaceId, role: record.role, teamId: record.teamId, prefix };
}
