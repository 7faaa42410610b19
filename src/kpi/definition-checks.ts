/**
 * Checks of one KPI definition against the SDK contract and the data model.
 * Each returns human-readable problems; the registry prefixes them with the
 * plugin's source and key and reports them all at once.
 */
import type { KpiDefinition, KpiPlugin } from './define.js';
import type { Measure, SourceName } from './measures.js';
import { dataModel } from './sql/data-model.js';
import type { Dimension } from './types.js';
import { allDimensions } from './types.js';

export const units = ['count', 'money', 'percent', 'ratio', 'days', 'hours', 'score'] as const;
export const directions = ['higher', 'lower', 'none'] as const;
export const lifecycleStages = ['launch', 'growth', 'mature'] as const;
const measureKinds = ['count', 'sum', 'mean', 'distinctCount', 'snapshotCount', 'snapshotSum', 'percentile'];
const perValues = ['day', 'week', 'month', 'quarter', 'year'];
const snakeCase = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (values: readonly string[]): string => values.join(', ');

/** Whether a value is a zod object schema (duck-typed: a partner's package may bundle its own zod). */
export function isZodObject(value: unknown): value is { safeParse: (input: unknown) => unknown; shape: Record<string, unknown> } {
  if (!isRecord(value) && typeof value !== 'object') return false;
  const schema = value as { safeParse?: unknown; _zod?: { def?: { type?: unknown } } };
  return typeof schema.safeParse === 'function' && schema._zod?.def?.type === 'object';
}

export function checkKey(key: unknown): string[] {
  if (typeof key !== 'string' || key.length === 0) return ['the key is missing'];
  return snakeCase.test(key) ? [] : [`key "${key}" is not snake_case (lower-case words joined by "_")`];
}

/** Problems of everything but the key. */
export function checkDefinition(definition: KpiPlugin): string[] {
  const problems: string[] = [];
  const d = definition as unknown as Record<string, unknown>;
  for (const field of ['name', 'description'] as const) {
    if (typeof d[field] !== 'string' || (d[field] as string).trim() === '') problems.push(`${field} is missing`);
  }
  if (!units.includes(d['unit'] as (typeof units)[number])) problems.push(`unit "${String(d['unit'])}" is not one of ${list(units)}`);
  if (!directions.includes(d['direction'] as (typeof directions)[number])) {
    problems.push(`direction "${String(d['direction'])}" is not one of ${list(directions)}`);
  }
  if (!Array.isArray(d['stages'])) problems.push('stages must be a list');
  else {
    for (const stage of d['stages'] as unknown[]) {
      if (!lifecycleStages.includes(stage as (typeof lifecycleStages)[number])) problems.push(`stage "${String(stage)}" is not one of ${list(lifecycleStages)}`);
    }
  }
  problems.push(...checkDimensions(definition));
  if (d['params'] !== undefined && !isZodObject(d['params'])) problems.push('params must be a zod object (z.object({...}))');
  problems.push(...checkTarget(definition));
  if (d['pacing'] !== undefined && !['linear', 'held', 'seasonal'].includes(d['pacing'] as string)) {
    problems.push(`pacing "${String(d['pacing'])}" is not one of linear, held, seasonal`);
  }
  if (d['timeoutMs'] !== undefined && !(typeof d['timeoutMs'] === 'number' && d['timeoutMs'] > 0 && Number.isFinite(d['timeoutMs']))) {
    problems.push('timeoutMs must be a positive number of milliseconds');
  }
  if (definition.kind === 'compute') {
    if (typeof d['compute'] !== 'function') problems.push('compute must be a function');
  } else if (definition.kind === 'inputs') {
    if (typeof d['formula'] !== 'function') problems.push('formula is missing (give formula with inputs, or compute)');
    problems.push(...checkInputs(definition));
  } else if (definition.kind === 'derived') {
    if (typeof d['formula'] !== 'function') problems.push('formula is missing (a derived KPI gives a formula over its components)');
    const derived = d['derived'];
    if (!isRecord(derived) || Object.keys(derived).length === 0) problems.push('derived must name at least one component KPI ({ name: kpiKey })');
    else for (const [name, key] of Object.entries(derived)) if (typeof key !== 'string') problems.push(`derived.${name} must be a KPI key`);
  } else {
    problems.push('not made by defineKpi (neither inputs with a formula nor compute)');
  }
  return problems;
}

function checkDimensions(definition: KpiPlugin): string[] {
  if (!Array.isArray(definition.dimensions)) return ['dimensions must be a list'];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const dimension of definition.dimensions as unknown[]) {
    if (!allDimensions.includes(dimension as Dimension)) {
      problems.push(`unknown dimension "${String(dimension)}" (known: ${list(allDimensions)})`);
      continue;
    }
    if (seen.has(dimension as string)) problems.push(`dimension "${String(dimension)}" is listed twice`);
    seen.add(dimension as string);
    if (definition.kind !== 'inputs' || !isRecord(definition.inputs)) continue;
    for (const [name, measure] of Object.entries(definition.inputs)) {
      const source = (measure as Partial<Measure>).source;
      if (source && source in dataModel && !dataModel[source].dimensions[dimension as Dimension]) {
        problems.push(`dimension "${String(dimension)}" cannot be provided by input "${name}" (source ${source} has no ${String(dimension)})`);
      }
    }
  }
  return problems;
}

function checkTarget(definition: KpiPlugin): string[] {
  const target: unknown = definition.target;
  if (target === undefined) return [];
  if (!isRecord(target)) return ['target must be an object ({ default, byStage, per })'];
  const problems: string[] = [];
  const values: [string, unknown][] = [];
  if (target['default'] !== undefined) values.push(['target.default', target['default']]);
  if (target['byStage'] !== undefined) {
    if (!isRecord(target['byStage'])) problems.push('target.byStage must be an object');
    else {
      for (const [stage, value] of Object.entries(target['byStage'])) {
        if (!lifecycleStages.includes(stage as (typeof lifecycleStages)[number])) problems.push(`target.byStage has unknown stage "${stage}"`);
        values.push([`target.byStage.${stage}`, value]);
      }
    }
  }
  for (const [where, value] of values) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`${where} must be a finite number, not ${String(value)}`);
    } else if (definition.unit === 'percent' && (value < 0 || value > 1)) {
      problems.push(`${where} = ${value} is outside [0, 1]: percent targets are fractions (0.25 is 25 %)`);
    } else if (definition.unit === 'score' && (value < -100 || value > 100)) {
      problems.push(`${where} = ${value} is outside the score range [-100, 100]`);
    } else if (['count', 'money', 'days', 'hours', 'ratio'].includes(definition.unit) && value < 0) {
      problems.push(`${where} = ${value} is negative`);
    }
  }
  if (target['per'] !== undefined) {
    if (!perValues.includes(target['per'] as string)) problems.push(`target.per "${String(target['per'])}" is not one of ${list(perValues)}`);
    else if (definition.unit !== 'count' && definition.unit !== 'money') {
      problems.push(`target.per only makes sense for additive units (count, money), not ${definition.unit}`);
    }
  }
  return problems;
}

function checkInputs(definition: KpiDefinition & { kind: 'inputs' }): string[] {
  if (!isRecord(definition.inputs) || Object.keys(definition.inputs).length === 0) return ['inputs must name at least one measure'];
  const problems: string[] = [];
  for (const [name, measure] of Object.entries(definition.inputs)) {
    for (const problem of checkMeasure(measure)) problems.push(`input "${name}": ${problem}`);
  }
  return problems;
}

/** Problems of one measure against the data model. */
export function checkMeasure(measure: Measure): string[] {
  const m = measure as unknown as Record<string, unknown>;
  const source = m['source'] as SourceName;
  if (!(typeof source === 'string' && source in dataModel)) return [`unknown source "${String(source)}"`];
  const model = dataModel[source];
  if (!measureKinds.includes(m['kind'] as string)) return [`unknown measure kind "${String(m['kind'])}"`];
  const problems: string[] = [];
  const needTime = (field: string): void => {
    if (!model.timeFields.includes(m[field] as string)) problems.push(`${field} "${String(m[field])}" is not a time field of ${source}`);
  };
  if (m['kind'] === 'snapshotCount' || m['kind'] === 'snapshotSum') {
    needTime('from');
    needTime('until');
    if (m['at'] !== 'start' && m['at'] !== 'end') problems.push(`at must be "start" or "end"`);
  } else needTime('time');
  if ((m['kind'] === 'sum' || m['kind'] === 'snapshotSum') && !model.numericFields.includes(m['field'] as string)) {
    problems.push(`field "${String(m['field'])}" is not a numeric field of ${source}`);
  }
  if (m['kind'] === 'distinctCount' && !model.distinctFields.includes(m['field'] as string)) {
    problems.push(`field "${String(m['field'])}" cannot be counted distinctly on ${source}`);
  }
  if (m['kind'] === 'percentile') {
    if (!(typeof m['p'] === 'number' && m['p'] >= 0 && m['p'] <= 1)) problems.push(`percentile p must be a number in [0, 1] (0.5 is the median), not ${String(m['p'])}`);
    if (m['method'] !== 'continuous' && m['method'] !== 'discrete') problems.push(`percentile method must be "continuous" or "discrete"`);
  }
  if (m['kind'] === 'mean' || m['kind'] === 'percentile') {
    const of = m['of'];
    if (typeof of === 'string') {
      if (!model.numericFields.includes(of)) problems.push(`${String(m['kind'])} of "${of}": not a numeric field of ${source}`);
    } else if (!isRecord(of) || !model.timeFields.includes(of['from'] as string) || !model.timeFields.includes(of['to'] as string) || !['days', 'hours'].includes(of['in'] as string)) {
      problems.push(`${String(m['kind'])} of a duration needs from/to time fields of ${source} and in: days or hours`);
    }
  }
  const where = m['where'] ?? {};
  if (!isRecord(where)) problems.push('where must be an object');
  else for (const key of Object.keys(where)) if (!model.whereFields[key]) problems.push(`where field "${key}" does not exist on ${source}`);
  return problems;
}
