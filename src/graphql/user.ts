import { builder } from './builder.js';
import { UserRoleEnum } from './enums.js';
import { optionalRowId } from './ids.js';
import { pageArgs } from './paging.js';

builder.prismaNode('User', {
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

builder.queryField('users', (t) =>
  t.prismaConnection({
    type: 'User',
    cursor: 'id',
    validate: pageArgs,
    description: 'The workspace’s users, by name.',
    args: { teamId: t.arg.globalID({ required: false, description: 'Only members of this team.' }) },
    resolve: (query, _root, args, ctx) => {
      const teamId = optionalRowId(args.teamId, 'Team', 'teamId');
      return ctx.prisma.user.findMany({
        ...query,
        where: teamId ? { teamId } : {},
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      });
    },
  }),
);
