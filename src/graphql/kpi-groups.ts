import { encodeGlobalID } from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import { missingGroupKey } from '../kpi/sdk.js';
import type { Dimension } from '../kpi/types.js';
import type { GraphQLContext } from './context.js';

interface GroupLabel {
  key: string | null;
  label: string;
}

type NamedDimension = 'team' | 'owner' | 'campaign';
const typenames: Record<NamedDimension, string> = { team: 'Team', owner: 'User', campaign: 'Campaign' };
const isNamed = (dimension: Dimension): dimension is NamedDimension => dimension in typenames;
const none = (key: string): boolean => key === missingGroupKey;

/** Per request: names of teams, owners and campaigns, one query per dimension per tick. */
const nameLoaders = new WeakMap<GraphQLContext, Map<NamedDimension, DataLoader<number, string | null>>>();

function nameLoader(ctx: GraphQLContext, dimension: NamedDimension): DataLoader<number, string | null> {
  let loaders = nameLoaders.get(ctx);
  if (!loaders) nameLoaders.set(ctx, (loaders = new Map()));
  let loader = loaders.get(dimension);
  if (!loader) {
    loader = new DataLoader<number, string | null>(async (ids) => {
      const where = { where: { id: { in: [...ids] } }, select: { id: true, name: true } };
      const rows =
        dimension === 'team'
          ? await ctx.prisma.team.findMany(where)
          : dimension === 'owner'
            ? await ctx.prisma.user.findMany(where)
            : await ctx.prisma.campaign.findMany(where);
      const names = new Map(rows.map((row) => [row.id, row.name]));
      return ids.map((id) => names.get(id) ?? null);
    });
    loaders.set(dimension, loader);
  }
  return loader;
}

/**
 * Readable labels for breakdown groups: names of teams, owners and campaigns,
 * with global IDs as keys so a client can filter by them; other dimensions
 * are their own labels.
 */
export async function groupLabels(ctx: GraphQLContext, dimension: Dimension, keys: string[]): Promise<Map<string, GroupLabel>> {
  const labels = new Map<string, GroupLabel>();
  const named = isNamed(dimension) ? dimension : null;
  const ids = named ? keys.filter((key) => !none(key)).map(Number).filter(Number.isSafeInteger) : [];
  const names = named && ids.length > 0 ? await nameLoader(ctx, named).loadMany(ids) : [];
  const nameOf = new Map(ids.map((id, index) => [id, names[index]]));
  for (const key of keys) {
    if (none(key)) labels.set(key, { key: null, label: '(none)' });
    else if (named) {
      const name = nameOf.get(Number(key));
      labels.set(key, { key: encodeGlobalID(typenames[named], key), label: typeof name === 'string' ? name : key });
    } else labels.set(key, { key, label: key });
  }
  return labels;
}
