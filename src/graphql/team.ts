import { builder } from './builder.js';

builder.prismaNode('Team', {
  id: { field: 'id' },
  // Unknown or other-workspace IDs resolve to null, never to a hint.
  nullable: true,
  description: 'A sales team; its members own customers and deals.',
  fields: (t) => ({
    name: t.exposeString('name'),
    externalId: t.exposeString('externalId', { nullable: true }),
    members: t.relation('users', { query: { orderBy: { name: 'asc' } } }),
  }),
});

builder.queryField('teams', (t) =>
  t.prismaField({
    type: ['Team'],
    description: 'Every team of the workspace, by name.',
    resolve: (query, _root, _args, ctx) => ctx.prisma.team.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
);
