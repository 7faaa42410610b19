import { builder } from './builder.js';
import { UserRoleEnum } from './enums.js';

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
    description: 'The workspace’s users, by name.',
    args: { teamId: t.arg.globalID({ required: false, description: 'Only members of this team.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.user.findMany({
        ...query,
        where: args.teamId ? { teamId: Number(args.teamId.id) } : {},
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      }),
  }),
);
