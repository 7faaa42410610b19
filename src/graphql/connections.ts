import type { ObjectRef } from '@pothos/core';
import { builder } from './builder.js';

/**
 * What Pothos puts on a connection for its totalCount: a number (a relation's
 * `_count`, loaded with the parent) or a function that counts with the same
 * where-clause as the page, called only when a client selects totalCount.
 */
type CountedConnection = { totalCount?: number | (() => number | Promise<number>) };

const countOf = (connection: unknown): number | Promise<number> => {
  const { totalCount } = connection as CountedConnection;
  if (totalCount === undefined) throw new Error('This connection was resolved without a totalCount.');
  return typeof totalCount === 'function' ? totalCount() : totalCount;
};

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

/**
 * One connection type per node type (`DealConnection` with `DealEdge`), shared
 * by every field that pages through that node, each with totalCount. A field
 * using it must give Pothos its count: `totalCount` on a prismaConnection
 * (a count with the page's where) or `totalCount: true` on a relatedConnection.
 */
export function nodeConnection<Shape>(node: ObjectRef<BuilderTypes, Shape>, nodeName: string, plural: string) {
  return builder.connectionObject(
    {
      type: node,
      name: `${nodeName}Connection`,
      description: `A page of ${plural} (Relay connection): edges in the order asked, where the page sits (pageInfo), and how many ${plural} there are in all.`,
      fields: (t) => ({
        totalCount: t.int({
          description: `How many ${plural} the field’s filters select, over all pages (only those the API key’s team may see). Counted only when asked.`,
          // Tells Pothos a page asking only for totalCount needs no rows.
          extensions: { pothosPrismaTotalCount: true },
          resolve: (connection) => countOf(connection),
        }),
      }),
    },
    { name: `${nodeName}Edge`, description: `One ${nodeName} of a page, with its cursor.` },
  );
}
