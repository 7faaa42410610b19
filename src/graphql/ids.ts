import { badUserInput } from './errors.js';

/** A decoded global ID as Pothos passes it to resolvers. */
export interface GlobalId {
  typename: string;
  id: string;
}

/** The numeric row ID of a global ID of the expected type, or BAD_USER_INPUT. */
export function rowId(globalId: GlobalId, typename: string, field: string): number {
  const id = Number(globalId.id);
  if (globalId.typename !== typename) {
    throw badUserInput({ field, message: `must be the ID of a ${typename} (got an ID of a ${globalId.typename}).` });
  }
  if (!/^[1-9]\d{0,9}$/.test(globalId.id) || id > 2_147_483_647) throw badUserInput({ field, message: `is not a valid ${typename} ID.` });
  return id;
}

export function optionalRowId(globalId: GlobalId | null | undefined, typename: string, field: string): number | undefined {
  return globalId ? rowId(globalId, typename, field) : undefined;
}
