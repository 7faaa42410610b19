import type { GraphQLSchema } from 'graphql';
import { apiDescriptions } from './api.js';
import { describeSchema } from './apply.js';
import { eventsAlgebraDescriptions } from './events-algebra.js';
import { kpiGoalDescriptions } from './kpi-goals.js';
import { recordDescriptions } from './records.js';

/** The schema with every part described (see apply.ts). */
export const describe = (schema: GraphQLSchema): GraphQLSchema =>
  describeSchema(schema, { ...recordDescriptions, ...kpiGoalDescriptions, ...apiDescriptions, ...eventsAlgebraDescriptions });
