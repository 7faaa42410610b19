import { isObjectType } from 'graphql';
import { builder, registerNodeTypes } from './builder.js';
import { describe } from './descriptions/index.js';
import './scalars.js';
import './enums.js';
import './team.js';
import './user.js';
import './customer.js';
import './deal.js';
import './deal-mutations.js';
import './deal-stage.js';
import './payment.js';
import './activity.js';
import './survey.js';
import './ticket.js';
import './spend.js';
import './kpi.js';
import './kpi-explain.js';
import './workspace-kpi.js';
import './customer-rfm.js';
import './workspace.js';
import './import.js';
import './goals.js';
import './goal-events.js';
import './webhooks.js';

/** Loads every domain type file and builds the schema. */
export const schema = describe(builder.toSchema({ sortSchema: true }));

registerNodeTypes(
  Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && type.getInterfaces().some((node) => node.name === 'Node'))
    .map((type) => type.name),
);
