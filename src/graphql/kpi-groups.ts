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

/**
 * Names of teams, owners and campaigns change rarely and a dashboard asks for
 * the same ones on every refresh: they are kept per database and workspace
 * for a minute, and the ones missing are read in one query per dimension per
 * tick.
 */
const nameTtlMs = 60_000;
interface NameCache {
  names: Map<string, { name: string | null; until: number }>;
  loaders: WeakMap<GraphQLContext, Map<NamedDimension, DataLoader<number, string | null>>>;
}
const caches = new WeakMap<GraphQLContext['db'], NameCache>();

function nameCache(ctx: GraphQLContext): NameCache {
  let cache = caches.get(ctx.db);
  if (!cache) caches.set(ctx.db, (cache = { names: new Map(), loaders: new WeakMap() }));
  return cache;
}

function nameLoader(ctx: GraphQLContext, dimension: NamedDimension): DataLoader<number, string | null> {
  const cache = nameCache(ctx);
  let loaders = cache.loaders.get(ctx);
  if (!loaders) cache.loaders.set(ctx, (loaders = new Map()));
  let loader = loaders.get(dimension);
  if (!loader) {
    const keyOf = (id: number) => `${ctx.workspace.id}:${dimension}:${id}`;
    loader = new DataLoader<number, string | null>(async (ids) => {
      const now = Date.now();
      const missing = ids.filter((id) => (cache.names.get(keyOf(id))?.until ?? 0) <= now);
      if (missing.length > 0) {
        const where = { where: { id: { in: [...missing] } }, select: { id: true, name: true } };
        const rows =
          dimension === 'team'
            ? await ctx.prisma.team.findMany(where)
            : dimension === 'owner'
              ? await ctx.prisma.user.findMany(where)
              : await ctx.prisma.campaign.findMany(where);
        const found = new Map(rows.map((row) => [row.id, row.name]));
        for (const id of missing) cache.names.set(keyOf(id), { name: found.get(id) ?? null, until: now + nameTtlMs });
      }
      return ids.map((id) => cache.names.get(keyOf(id))?.name ?? null);
    });
    loaders.set(dimension, loader);
  }
  return loader;
}

/**
 * A request's labels by dimension and key: a dashboard asks for the same
 * few groups in every cell, all at once, and each label (a global ID to
 * encode, a name to look up) is worked out once; a label still being looked
 * up is shared as its promise.
 */
const requestLabels = new WeakMap<GraphQLContext, Map<string, GroupLabel | Promise<GroupLabel>>>();

async function lookUpLabels(ctx: GraphQLContext, dimension: Dimension, keys: readonly string[]): Promise<Map<string, GroupLabel>> {
  const named = isNamed(dimension) ? dimension : null;
  const ids = named ? keys.filter((key) => !none(key)).map(Number).filter(Number.isSafeInteger) : [];
  const names = named && ids.length > 0 ? await nameLoader(ctx, named).loadMany(ids) : [];
  const nameOf = new Map(ids.map((id, index) => [id, names[index]]));
  const labels = new Map<string, GroupLabel>();
  for (const key of keys) {
    if (none(key)) labels.set(key, { key: null, label: '(none)' });
    else if (named) {
      const name = nameOf.get(Number(key));
      labels.set(key, { key: encodeGlobalID(typenames[named], key), label: typeof name === 'string' ? name : key });
    } else labels.set(key, { key, label: key });
  }
  return labels;
}

/**
 * Readable labels for breakdown groups: names of teams, owners and campaigns,
 * with global IDs as keys so a client can filter by them; other dimensions
 * are their own labels.
 */
export async function groupLabels(ctx: GraphQLContext, dimension: Dimension, keys: string[]): Promise<Map<string, GroupLabel>> {
  let known = requestLabels.get(ctx);
  if (!known) requestLabels.set(ctx, (known = new Map()));
  const cache = known;
  const labelKey = (key: string) => `${dimension}|${key}`;
  const unknown = keys.filter((key) => !cache.has(labelKey(key)));
  if (unknown.length > 0) {
    const looked = lookUpLabels(ctx, dimension, unknown);
    for (const key of unknown) {
      cache.set(
        labelKey(key),
        looked.then((labels) => {
          const label = labels.get(key)!;
          cache.set(labelKey(key), label);
          return label;
        }),
      );
    }
  }
  const labels = new Map<string, GroupLabel>();
  for (const key of keys) {
    const label = cache.get(labelKey(key))!;
    labels.set(key, label instanceof Promise ? await label : label);
  }
  return labels;
}
