import { decodeCursorChunk } from '@pothos/core';
import { z } from 'zod';
import { builder } from './builder.js';

const configured = builder.options.prisma.maxConnectionSize;
export const maxPageSize = typeof configured === 'number' ? configured : 100;

const size = z
  .number()
  .int()
  .min(0, 'must not be negative')
  .max(maxPageSize, `must be at most ${maxPageSize} (the maximum page size); page with after or before for more`)
  .nullish();

/** Whether a cursor is one these connections hand out: a row ID, as Pothos encodes it. */
function isRowCursor(cursor: string): boolean {
  try {
    const decoded = Buffer.from(cursor, 'base64').toString();
    if (!decoded.startsWith('GPC:')) return false;
    const id: unknown = decodeCursorChunk(decoded.slice(4));
    return typeof id === 'number' && Number.isInteger(id) && id >= 1 && id <= 2_147_483_647;
  } catch {
    return false;
  }
}

const cursor = z.string().refine(isRowCursor, 'is not a cursor of this list; pass an endCursor or startCursor it returned').nullish();

/**
 * `validate` for connection fields (whose cursor is the row ID). Pothos silently clamps first/last to the
 * maximum; a client asking for more is told instead of getting a short page
 * it might take for the end of the list. A cursor that is not one of the
 * list's is refused here, before any SQL.
 */
export const pageArgs = z.looseObject({ first: size, last: size, after: cursor, before: cursor });
