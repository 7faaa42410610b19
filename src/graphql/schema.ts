import { builder } from './builder.js';
import './scalars.js';
import './enums.js';
import './team.js';
import './user.js';
import './customer.js';
import './deal.js';
import './kpi.js';

/** Loads every domain type file and builds the schema. */
export const schema = builder.toSchema({ sortSchema: true });
