import { builder } from './builder.js';
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
import './workspace-kpi.js';
import './customer-rfm.js';
import './workspace.js';
import './import.js';
import './goals.js';

/** Loads every domain type file and builds the schema. */
export const schema = builder.toSchema({ sortSchema: true });
