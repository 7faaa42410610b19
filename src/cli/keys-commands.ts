import { parseArgs } from 'node:util';
import { createApiKey } from '../auth/api-keys.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { applyMigrations } from '../db/migrate.js';
import type { ApiKeyRole } from '../generated/prisma/client.js';
import { openConfiguredDatabase } from './open-database.js';
import { UsageError, exitCodes } from './usage-error.js';

const roles: Record<string, ApiKeyRole> = { viewer: 'VIEWER', editor: 'EDITOR', admin: 'ADMIN' };

async function withDatabase<T>(config: Config, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openConfiguredDatabase(config);
  try {
    await applyMigrations(db.adapterFactory);
    return await work(db);
  } finally {
    await db.close();
  }
}

function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive whole number; got ${value}.`);
  return n;
}

/** `kpigraph workspaces create --name "Acme" [--time-zone Europe/Berlin] [--currency EUR] [--json]` */
export async function workspacesCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create') throw new UsageError('Usage: kpigraph workspaces create --name NAME [--time-zone ZONE] [--currency CODE] [--json]');
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, 'time-zone': { type: 'string', default: 'UTC' }, currency: { type: 'string', default: 'EUR' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  if (!values.name?.trim()) throw new UsageError('--name is required.');
  try {
    new Intl.DateTimeFormat('en', { timeZone: values['time-zone'] });
  } catch {
    throw new UsageError(`--time-zone must be an IANA zone such as Europe/Berlin; got ${values['time-zone']}.`);
  }
  if (!/^[A-Z]{3}$/.test(values.currency)) throw new UsageError(`--currency must be an ISO 4217 code such as EUR; got ${values.currency}.`);
  const workspace = await withDatabase(config, (db) =>
    db.prisma.workspace.create({ data: { name: values.name!.trim(), timeZone: values['time-zone'], currency: values.currency } }),
  );
  console.log(values.json ? JSON.stringify({ id: workspace.id, name: workspace.name, timeZone: workspace.timeZone, currency: workspace.currency }) : `Created workspace ${workspace.id} (${workspace.name}).`);
  return exitCodes.ok;
}

/**
 * `kpigraph keys create --workspace N --role viewer|editor|admin --name NAME [--team ID] [--json]`,
 * `kpigraph keys list --workspace N [--json]`, `kpigraph keys revoke PREFIX`.
 */
export async function keysCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { workspace: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, team: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (sub === 'create') {
    const workspaceId = wholeNumber(values.workspace, '--workspace');
    if (!workspaceId) throw new UsageError('--workspace is required (the id printed by `kpigraph workspaces create`).');
    const role = roles[values.role ?? ''];
    if (!role) throw new UsageError(`--role must be viewer, editor or admin; got ${values.role ?? 'nothing'}.`);
    const teamId = wholeNumber(values.team, '--team') ?? null;
    const created = await withDatabase(config, async (db) => {
      if (!(await db.prisma.workspace.findUnique({ where: { id: workspaceId } }))) throw new UsageError(`There is no workspace ${workspaceId}.`);
      if (teamId && !(await db.prisma.team.findFirst({ where: { id: teamId, workspaceId } }))) throw new UsageError(`Workspace ${workspaceId} has no team ${teamId}.`);
      return createApiKey(db.prisma, { workspaceId, role, teamId, name: values.name ?? `${role.toLowerCase()} key` });
    });
    if (values.json) console.log(JSON.stringify({ key: created.key, prefix: created.prefix, role, workspaceId, teamId }));
    else console.log(`${created.key}\n\nThis ${role.toLowerCase()} key is shown once; store it now. Send it as: Authorization: Bearer <key>`);
    return exitCodes.ok;
  }
  if (sub === 'list') {
    const workspaceId = wholeNumber(values.workspace, '--workspace');
    if (!workspaceId) throw new UsageError('--workspace is required.');
    const keys = await withDatabase(config, (db) => db.prisma.apiKey.findMany({ where: { workspaceId }, orderBy: { id: 'asc' } }));
    const rows = keys.map((k) => ({ prefix: k.prefix, name: k.name, role: k.role, teamId: k.teamId, lastUsedAt: k.lastUsedAt, revokedAt: k.revokedAt }));
    if (values.json) console.log(JSON.stringify(rows));
    else for (const r of rows) console.log(`${r.prefix}  ${r.role.padEnd(6)}  ${r.revokedAt ? 'revoked' : 'active '}  ${r.name}`);
    return exitCodes.ok;
  }
  if (sub === 'revoke') {
    const prefix = positionals[0];
    if (!prefix) throw new UsageError('Give the key’s prefix: kpigraph keys revoke abcd1234');
    const { count } = await withDatabase(config, (db) => db.prisma.apiKey.updateMany({ where: { prefix, revokedAt: null }, data: { revokedAt: new Date() } }));
    if (count === 0) {
      console.error(`No active key with prefix ${prefix}.`);
      return exitCodes.failure;
    }
    console.log(`Revoked key ${prefix}.`);
    return exitCodes.ok;
  }
  throw new UsageError('Usage: kpigraph keys create|list|revoke …');
}
