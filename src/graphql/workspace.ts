import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { createApiKey } from '../auth/api-keys.js';
import { builder } from './builder.js';
import { badUserInput, notFound } from './errors.js';
import { optionalRowId, rowId } from './ids.js';
import { nameText } from '../records/rules.js';

const ApiKeyRoleEnum = builder.enumType('ApiKeyRole', {
  description: 'VIEWER reads; EDITOR also writes customers, deals, goals and records; ADMIN also manages keys and settings.',
  values: ['VIEWER', 'EDITOR', 'ADMIN'] as const,
});

const WorkspaceRef = builder.prismaObject('Workspace', {
  description: 'The tenant every record belongs to.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    currency: t.exposeString('currency', { description: 'ISO 4217 code of all money amounts.' }),
    timeZone: t.exposeString('timeZone', { description: 'IANA zone in which days, months and quarters are cut.' }),
  }),
});

builder.prismaNode('ApiKey', {
  id: { field: 'id' },
  // Unknown, other workspaces' and other teams' IDs resolve to null, not an error.
  nullable: true,
  description: 'An API key; the key itself is shown only once, at creation.',
  authScopes: { admin: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The key’s first characters, to tell keys apart: kpg_<prefix>_…' }),
    role: t.expose('role', { type: ApiKeyRoleEnum }),
    team: t.relation('team', { nullable: true, description: 'Set when the key sees only this team’s records.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreatedApiKey = builder.objectRef<{ key: string; id: number }>('CreatedApiKey').implement({
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The secret key. Store it now: it is never shown again.' }),
    apiKey: t.prismaField({
      type: 'ApiKey',
      resolve: (query, created, _args, ctx) => ctx.prisma.apiKey.findUniqueOrThrow({ ...query, where: { id: created.id } }),
    }),
  }),
});

builder.queryFields((t) => ({
  workspace: t.prismaField({
    type: WorkspaceRef,
    description: 'The workspace of the request’s API key.',
    resolve: async (query, _root, _args, ctx) => ctx.prisma.workspace.findUniqueOrThrow({ ...query, where: { id: ctx.workspace.id } }),
  }),
  apiKeys: t.prismaField({
    type: ['ApiKey'],
    authScopes: { admin: true },
    description: 'The workspace’s API keys, newest first.',
    args: { includeRevoked: t.arg.boolean({ defaultValue: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.apiKey.findMany({ ...query, where: args.includeRevoked ? {} : { revokedAt: null }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
  }),
}));

const timeZoneName = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Berlin');

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKey,
    authScopes: { admin: true },
    description: 'Mints a key for this workspace. The response is the only time the key is shown.',
    args: {
      name: t.arg.string({ required: true, validate: nameText }),
      role: t.arg({ type: ApiKeyRoleEnum, required: true }),
      teamId: t.arg.globalID({ required: false, description: 'Limit the key to this team’s records.' }),
    },
    resolve: async (_root, args, ctx) => {
      const teamId = optionalRowId(args.teamId, 'Team', 'teamId');
      if (teamId && !(await ctx.prisma.team.findUnique({ where: { id: teamId }, select: { id: true } }))) throw notFound('Team', args.teamId!.id);
      if (ctx.auth.teamId !== null && teamId !== ctx.auth.teamId) {
        throw badUserInput({ field: 'teamId', message: 'a key limited to a team can only mint keys for that same team.' });
      }
      const { key, id } = await createApiKey(ctx.prisma, { workspaceId: ctx.workspace.id, name: args.name, role: args.role, teamId: teamId ?? null });
      return { key, id };
    },
  }),
  revokeApiKey: t.prismaField({
    type: 'ApiKey',
    authScopes: { admin: true },
    description: 'Revokes a key at once; requests with it get UNAUTHENTICATED.',
    args: { id: t.arg.globalID({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = rowId(args.id, 'ApiKey', 'id');
      const { count } = await ctx.prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
      if (count === 0 && !(await ctx.prisma.apiKey.findUnique({ where: { id }, select: { id: true } }))) throw notFound('ApiKey', args.id.id);
      ctx.forgetKey(id);
      return ctx.prisma.apiKey.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  updateWorkspace: t.prismaField({
    type: WorkspaceRef,
    authScopes: { admin: true },
    description: 'Changes the workspace’s name, currency or time zone.',
    args: {
      name: t.arg.string({ required: false, validate: nameText }),
      currency: t.arg.string({ required: false, validate: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR') }),
      timeZone: t.arg.string({ required: false, validate: timeZoneName }),
    },
    resolve: async (query, _root, args, ctx) => {
      if (ctx.auth.teamId !== null) throw new GraphQLError('A key limited to a team may not change workspace settings.', { extensions: { code: 'FORBIDDEN' } });
      const workspace = await ctx.prisma.workspace.update({
        ...query,
        where: { id: ctx.workspace.id },
        data: { ...(args.name ? { name: args.name } : {}), ...(args.currency ? { currency: args.currency } : {}), ...(args.timeZone ? { timeZone: args.timeZone } : {}) },
      });
      ctx.invalidateWorkspace();
      return workspace;
    },
  }),
}));
