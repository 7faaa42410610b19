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

/**
 * `validate` for connection fields. Pothos silently clamps first/last to the
 * maximum; a client asking for more is told instead of getting a short page
 * it might take for the end of the list.
 */
export const pageArgs = z.looseObject({ first: size, last: size });
