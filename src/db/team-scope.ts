import { DomainError } from '../errors.js';
import { getDatamodel } from '../generated/pothos-prisma-types.js';

/**
 * What a key limited to one team may see, for every model, and how that is
 * applied to a Prisma query and to its result, relations included.
 *
 * The rule: a row belongs to a team through the path given below (a deal
 * through its owner, a payment through its customer's owner …). Lists — top
 * level or a relation such as customer → deals — keep only the team's rows;
 * a to-one relation to a row of another team (a North deal's South customer)
 * answers null. Models without a path (campaigns, the workspace) are shared
 * by every team; company-wide money (spend, ledger) belongs to no team.
 */
type Path = readonly string[];

const ownership: Record<string, readonly Path[] | null> = {
  Team: [['id']],
  User: [['teamId']],
  ApiKey: [['teamId']],
  Customer: [['owner', 'teamId']],
  Deal: [['owner', 'teamId']],
  DealStageEvent: [['deal', 'owner', 'teamId']],
  Activity: [['customer', 'owner', 'teamId']],
  Payment: [['customer', 'owner', 'teamId']],
  SurveyResponse: [['customer', 'owner', 'teamId']],
  Ticket: [['customer', 'owner', 'teamId']],
  Goal: [['ownerTeamId'], ['ownerUser', 'teamId']],
  Spend: [],
  LedgerEntry: [],
  WebhookEndpoint: [],
  WebhookDelivery: [],
  WebhookAttempt: [],
  Campaign: null,
  Workspace: null,
};

type Args = Record<string, unknown>;

interface Relation {
  target: string;
  isList: boolean;
}

const relations = new Map<string, Map<string, Relation>>(
  Object.entries(getDatamodel().datamodel.models).map(([model, { fields }]) => [
    model,
    new Map(fields.filter((field) => field.kind === 'object').map((field) => [field.name, { target: field.type, isList: field.isList }])),
  ]),
);

function relationOf(model: string, field: string): Relation | undefined {
  return relations.get(model)?.get(field);
}

/** The where-clause keeping a model's rows of one team, or null for a model shared by every team. */
export function teamWhere(model: string, teamId: number): Args | null {
  const paths = ownership[model];
  if (paths === undefined) throw new Error(`No team rule for model ${model}; add one to src/db/team-scope.ts.`);
  if (paths === null) return null;
  if (paths.length === 0) return { id: -1 };
  const clauses = paths.map((path) => path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), teamId) as Args);
  return clauses.length === 1 ? clauses[0]! : { OR: clauses };
}

/** A write a team-limited key may not make: company-wide data (spend, ledger, webhooks, the workspace's settings). */
export class TeamScopeWriteError extends DomainError {
  override readonly name = 'TeamScopeWriteError';
  readonly kind = 'forbidden';
  constructor(readonly model: string) {
    super(`${model} records are company-wide: a key limited to a team may not write them; use a key without a team.`);
  }
}

/** Whether a model's rows belong to no team at all (a team key may read none and write none). */
export function isCompanyWide(model: string): boolean {
  return model === 'Workspace' || ownership[model]?.length === 0;
}

const isObject = (value: unknown): value is Args => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Adds `clause` to a where-clause without dropping anything already in it. */
export function andWhere(given: unknown, clause: Args): Args {
  if (!isObject(given) || Object.keys(given).length === 0) return clause;
  return { AND: [given, clause] };
}

/** The nested read arguments of a relation, as an object (`true` means every scalar). */
const asArgs = (value: unknown): Args => (isObject(value) ? { ...value } : {});

/** Makes sure `args` (the read arguments of a `model` row) load the scalar at the end of `path`. */
function ensurePath(args: Args, model: string, path: Path): Args {
  const [head, ...rest] = path;
  if (head === undefined) return args;
  const relation = relationOf(model, head);
  if (!relation) {
    // A scalar: loaded anyway unless the arguments pick fields.
    return isObject(args['select']) ? { ...args, select: { ...args['select'], [head]: true } } : args;
  }
  const key = isObject(args['select']) ? 'select' : 'include';
  const tree = asArgs(args[key]);
  // A relation the query did not ask for is loaded with as little as it takes.
  const child = tree[head] === undefined || tree[head] === false ? { select: { id: true } } : asArgs(tree[head]);
  tree[head] = ensurePath(child, relation.target, rest);
  return { ...args, [key]: tree };
}

/**
 * Scopes the relations a query loads: list relations (and their counts) get
 * the team's where-clause; to-one relations to team data also load what
 * their row's ownership is decided by, for `hideForeignRows` to check.
 */
export function scopeRelations(model: string, args: Args, teamId: number): Args {
  let scoped = { ...args };
  for (const key of ['select', 'include'] as const) {
    const tree = scoped[key];
    if (!isObject(tree)) continue;
    const next: Args = {};
    for (const [field, value] of Object.entries(tree)) {
      const relation = relationOf(model, field);
      if (field === '_count' && isObject(value)) {
        next[field] = scopeCount(model, value, teamId);
      } else if (!relation || value === false || value === undefined) {
        next[field] = value;
      } else {
        let nested = scopeRelations(relation.target, asArgs(value), teamId);
        const where = teamWhere(relation.target, teamId);
        if (relation.isList && where) nested = { ...nested, where: andWhere(nested['where'], where) };
        if (!relation.isList) for (const path of ownership[relation.target] ?? []) nested = ensurePath(nested, relation.target, path);
        next[field] = nested;
      }
    }
    scoped = { ...scoped, [key]: next };
  }
  return scoped;
}

function scopeCount(model: string, count: Args, teamId: number): Args {
  if (!isObject(count['select'])) return count;
  const select: Args = {};
  for (const [field, value] of Object.entries(count['select'])) {
    const relation = relationOf(model, field);
    const where = relation ? teamWhere(relation.target, teamId) : null;
    select[field] = where && value !== false ? { ...asArgs(value), where: andWhere(asArgs(value)['where'], where) } : value;
  }
  return { ...count, select };
}

/** Whether a loaded row belongs to the team, read from the fields `scopeRelations` made the query load. */
function visible(model: string, row: Args, teamId: number): boolean {
  const paths = ownership[model];
  if (paths === null || paths === undefined) return true;
  return paths.some((path) => {
    let value: unknown = row;
    for (const key of path) value = isObject(value) ? value[key] : undefined;
    return value === teamId;
  });
}

/** Sets every to-one relation in `result` that points at another team's row to null, at any depth. */
export function hideForeignRows(model: string, result: unknown, teamId: number): void {
  if (Array.isArray(result)) {
    for (const row of result) hideForeignRows(model, row, teamId);
    return;
  }
  if (!isObject(result)) return;
  for (const [field, value] of Object.entries(result)) {
    const relation = relationOf(model, field);
    if (!relation || value === null || value === undefined) continue;
    if (!relation.isList && isObject(value) && !visible(relation.target, value, teamId)) {
      result[field] = null;
    } else {
      hideForeignRows(relation.target, value, teamId);
    }
  }
}
