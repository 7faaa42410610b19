/** Goals over GraphQL: the Goal node, its progress, the goals list, mutations, templates and scorecards. */
import './goal.js';
import './goal-queries.js';
import './goal-mutations.js';
import './goal-templates.js';
import './goal-cascade.js';
import './goal-insight.js';
import './goal-records.js';
import './scorecard.js';
