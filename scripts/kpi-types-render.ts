// Renders the TypeScript a frontend imports to name KPIs: the union of KPI
// keys, each KPI's params type (from its zod schema, via JSON Schema) and its
// unit and direction as the API spells them. Kept free of server imports so
// that the file it writes stands alone in a frontend's source tree.
import { z } from 'zod';
import type { KpiDefinition } from '../src/kpi/define.js';

type JsonSchema = {
  type?: string | string[];
  enum?: readonly unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
};

const literal = (value: unknown): string =>
  typeof value === 'string' ? `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'` : JSON.stringify(value);
const indent = (text: string, depth: number): string => text.replaceAll('\n', `\n${'  '.repeat(depth)}`);
const propertyName = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : literal(name));

/** What a reader of the params needs beyond the type: meaning, default, range. */
function docComment(schema: JsonSchema): string | null {
  // zod bounds every int by the safe integers: no news to a reader.
  const bound = (value: number | undefined) => (value === undefined || Math.abs(value) === Number.MAX_SAFE_INTEGER ? undefined : value);
  const range = [
    bound(schema.minimum) !== undefined ? `≥ ${schema.minimum}` : null,
    schema.exclusiveMinimum !== undefined ? `> ${schema.exclusiveMinimum}` : null,
    bound(schema.maximum) !== undefined ? `≤ ${schema.maximum}` : null,
    schema.exclusiveMaximum !== undefined ? `< ${schema.exclusiveMaximum}` : null,
  ].filter(Boolean);
  const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
  const parts = [
    schema.description ? sentence(schema.description) : null,
    schema.type === 'integer' ? 'A whole number.' : null,
    range.length > 0 ? `Range: ${range.join(', ')}.` : null,
    schema.default !== undefined ? `Default: ${literal(schema.default)}.` : null,
  ].filter(Boolean);
  return parts.length > 0 ? `/** ${parts.join(' ').replaceAll('*/', '*\\/')} */` : null;
}

/** A TypeScript type for a JSON Schema of the kinds zod's toJSONSchema writes; `unknown` for anything else. */
export function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return literal(schema.const);
  if (schema.enum) return schema.enum.map(literal).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((part) => typeOf(part)).join(' | ');
  if (Array.isArray(schema.type)) return schema.type.map((type) => typeOf({ ...schema, type })).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return schema.items ? `Array<${typeOf(schema.items)}>` : 'unknown[]';
    case 'object':
      return objectType(schema);
    default:
      return 'unknown';
  }
}

function objectType(schema: JsonSchema): string {
  const entries = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  if (entries.length === 0) return typeof extra === 'object' ? `Record<string, ${typeOf(extra)}>` : 'Record<string, never>';
  const required = new Set(schema.required ?? []);
  const lines = entries.map(([name, property]) => {
    const doc = docComment(property);
    const field = `${propertyName(name)}${required.has(name) ? '' : '?'}: ${typeOf(property)};`;
    return doc ? `${doc}\n${field}` : field;
  });
  return `{\n  ${lines.map((line) => indent(line, 1)).join('\n  ')}\n}`;
}

/** The params a KPI takes, as a client sends them (defaults optional). */
export function paramsType(definition: KpiDefinition): string {
  if (!definition.params) return 'Record<string, never>';
  return typeOf(z.toJSONSchema(definition.params, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
}

const upper = (value: string): string => literal(value.toUpperCase());

/** The whole file for `definitions`, in registry order. */
export function renderKpiTypes(definitions: readonly KpiDefinition[]): string {
  const keys = definitions.map((definition) => definition.key);
  const table = (pick: (definition: KpiDefinition) => string) => definitions.map((definition) => `  ${definition.key}: ${pick(definition)},`).join('\n');
  const params = definitions
    .map((definition) => `  /** ${definition.name}: ${definition.description.replaceAll('*/', '*\\/')} */\n  ${definition.key}: ${indent(paramsType(definition), 1)};`)
    .join('\n');
  return `// Generated from the KPI registry by \`npm run codegen\` (scripts/kpi-types.ts): do not edit.
// Units and directions are spelled as the API's KpiUnit and KpiDirection enums.

/** Every KPI key of the registry. */
export const kpiKeys = [
${keys.map((key) => `  ${literal(key)},`).join('\n')}
] as const;

export type KpiKey = (typeof kpiKeys)[number];

export type KpiUnit = 'COUNT' | 'MONEY' | 'PERCENT' | 'RATIO' | 'DAYS' | 'HOURS' | 'SCORE';

export type KpiDirection = 'HIGHER' | 'LOWER' | 'NONE';

/** The params each KPI takes (the \`params\` argument of Query.kpi's fields and of goals). */
export interface KpiParams {
${params}
}

/** The params of one KPI. */
export type KpiParamsOf<Key extends KpiKey> = KpiParams[Key];

/** How to read each KPI's values. */
export const kpiUnits = {
${table((definition) => upper(definition.unit))}
} as const satisfies Record<KpiKey, KpiUnit>;

/** Which way is better for each KPI. */
export const kpiDirections = {
${table((definition) => upper(definition.direction))}
} as const satisfies Record<KpiKey, KpiDirection>;

export type KpiUnitOf<Key extends KpiKey> = (typeof kpiUnits)[Key];
`;
}
