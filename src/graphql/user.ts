import { builder } from './builder.js';
import { nodeConnection } from './connections.js';
import { UserRoleEnum } from './enums.js';
import { optionalRowId } from './ids.js';
import { pageArgs } from './paging.js';

export const UserRef = builder.prismaNode('User', {
  id: { field: 'id' },
  // Unknown or other-workspace IDs resolve to null, never to a hint.
  nullable: true,
  description: 'A sales rep or manager.',
  fields: (t) => ({
    name: t.exposeString('name'),
    email: t.exposeString('email'),
    role: t.expose('role', { type: UserRoleEnum }),
    externalId: t.exposeString('externalId', { nullable: true }),
    team: t.relation('team', { nullable: true }),
  }),
});

const userWhere = (teamGlobalId: { id: string; typename: string } | null | undefined) => {
  const teamId = optionalRowId(teamGlobalId, 'Team', 'teamId');
  return teamId ? { teamId } : {};
};

/** Every page of users (Query.users) is a UserConnection. */
export const UserConnection = nodeConnection(UserRef, 'User', 'users');

builder.queryField('users', (t) =>
  t.prismaConnection({
    type: 'User',
    cursor: 'id',
    validate: pageArgs,
    description: 'The workspace’s users, by name.',
    args: { teamId: t.arg.globalID({ required: false, description: 'Only members of this team.' }) },
    totalCount: (_root, args, ctx) => ctx.prisma.user.count({ where: userWhere(args.teamId) }),
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.user.findMany({ ...query, where: userWhere(args.teamId), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  }, UserConnection),
);
