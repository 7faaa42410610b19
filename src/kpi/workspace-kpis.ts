/**
 * KPIs defined at run time by a workspace's admin: a formula (the
 * expression language of ./expression) over the KPIs of the plugins. Each
 * becomes a derived KPI, so it is computed from its components' measures in
 * the same statements as everything else of a request, and works wherever a
 * plugin KPI does. Every version stays readable as `key@version` (goals pin
 * the version they were set on); plain `key` is the newest version.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import type { KpiDefinition } from './define.js';
import { units as knownUnits, directions as knownDirections } from './definition-checks.js';
import type { DerivedKpiDefinition } from './derived.js';
import { resolveDerived } from './derived.js';
import type { Expression } from './expression/index.js';
import { FormulaError, checkUnits, evaluateFormula, fitsUnit, parseFormula, referencedKeys } from './expression/index.js';
import type { KpiRegistry } from './registry.js';
import type { Dimension, Direction, KpiResult, Unit } from './types.js';
import { allDimensions } from './types.js';

/** One stored version of a workspace KPI (a WorkspaceKpi row). */
export interface WorkspaceKpiVersion {
  key: string;
  version: number;
  name: string;
  description: string;
  unit: string;
  direction: string;
  formula: string;
  target: Decimal.Value | { toString(): string } | null;
}

type InputsDefinition = KpiDefinition & { kind: 'inputs' };

/** What a workspace KPI keeps beside its definition, for the API. */
export interface WorkspaceKpiInfo {
  key: string;
  version: number;
  formula: string;
}

const infos = new WeakMap<KpiDefinition, WorkspaceKpiInfo>();

/** The formula and version of a workspace KPI's definition; undefined for a plugin's KPI. */
export function workspaceKpiInfo(definition: KpiDefinition): WorkspaceKpiInfo | undefined {
  return infos.get(definition);
}

/** The current version of a workspace KPI, to pin a goal on; undefined for a plugin's KPI. */
export function workspaceKpiVersion(registry: KpiRegistry, key: string): number | undefined {
  const definition = registry.get(key);
  return definition ? workspaceKpiInfo(definition)?.version : undefined;
}

/** The key under which one version of a KPI is read. */
export const versionedKey = (key: string, version: number): string => `${key}@${version}`;

/**
 * Parses and type-checks a formula against the plugins' KPIs and the unit
 * it must give; throws FormulaError pointing at the column at fault.
 * Returns its tree and the components it reads.
 */
export function checkFormula(formula: string, unit: Unit, plugins: KpiRegistry): { tree: Expression; components: InputsDefinition[] } {
  const tree = parseFormula(formula);
  const components: InputsDefinition[] = [];
  const findNode = (key: string, node: Expression = tree): Expression | undefined => {
    if (node.kind === 'name') return node.name === key ? node : undefined;
    const children = node.kind === 'binary' ? [node.left, node.right] : node.kind === 'call' ? node.args : node.kind === 'number' ? [] : [node.operand];
    for (const child of children) {
      const found = findNode(key, child);
      if (found) return found;
    }
    return undefined;
  };
  for (const key of referencedKeys(tree)) {
    const definition = plugins.get(key);
    if (definition && definition.kind !== 'inputs') {
      throw new FormulaError(findNode(key)?.column ?? 1, `KPI "${key}" computes with its own query and cannot be used in a formula.`);
    }
    if (definition) components.push(definition);
  }
  const type = checkUnits(tree, (key) => plugins.get(key)?.unit);
  const misfit = fitsUnit(type, unit);
  if (misfit) throw new FormulaError(1, misfit);
  return { tree, components };
}

/** The dimensions every component offers, in the usual order. */
function sharedDimensions(components: readonly InputsDefinition[]): Dimension[] {
  return allDimensions.filter((dimension) => components.every((component) => component.dimensions.includes(dimension)));
}

function toDefinition(row: WorkspaceKpiVersion, key: string, plugins: KpiRegistry): InputsDefinition {
  const unit = row.unit as Unit;
  if (!knownUnits.includes(unit)) throw new Error(`unit "${row.unit}" is not one of ${knownUnits.join(', ')}`);
  if (!knownDirections.includes(row.direction as Direction)) throw new Error(`direction "${row.direction}" is not one of ${knownDirections.join(', ')}`);
  const { tree, components } = checkFormula(row.formula, unit, plugins);
  const derived: DerivedKpiDefinition = {
    kind: 'derived',
    key,
    name: row.name,
    description: row.description,
    unit,
    direction: row.direction as Direction,
    stages: [],
    dimensions: sharedDimensions(components),
    params: z.object({}),
    ...(row.target === null ? {} : { target: { default: new Decimal(row.target.toString()).toNumber() } }),
    derived: Object.fromEntries(components.map((component) => [component.key, component.key])),
    formula: () => ({ value: null, reason: { code: 'PLUGIN_ERROR', message: 'unused: combine computes the value' } }),
    combine: (results): KpiResult => {
      const evaluated = evaluateFormula(tree, (name) => {
        const result = results[name];
        if (!result) return { value: null, reason: { code: 'NOT_APPLICABLE', message: `KPI "${name}" is not registered.` } };
        return result.value === null
          ? { value: null, reason: result.reason ?? { code: 'NO_DATA', message: `KPI "${name}" has no value.` } }
          : { value: result.value };
      });
      if (evaluated.value === null) return { value: null, reason: evaluated.reason };
      return { value: evaluated.value as Decimal };
    },
  };
  const resolved = resolveDerived(derived, Object.fromEntries(components.map((component) => [component.key, component])));
  infos.set(resolved, { key: row.key, version: row.version, formula: row.formula });
  return resolved;
}

/**
 * The plugins' registry extended with a workspace's KPIs (every version of
 * each; the highest is the current one). A stored formula that no longer
 * checks (a plugin it read was removed) leaves its KPI out, logged, rather
 * than failing the workspace's requests.
 */
export function createWorkspaceRegistry(plugins: KpiRegistry, rows: readonly WorkspaceKpiVersion[], log: (message: string) => void = console.warn): KpiRegistry {
  const current = new Map<string, InputsDefinition>();
  const byVersion = new Map<string, InputsDefinition>();
  const newest = new Map<string, number>();
  for (const row of rows) newest.set(row.key, Math.max(newest.get(row.key) ?? 0, row.version));
  for (const row of rows) {
    if (plugins.get(row.key)) continue;
    try {
      const isCurrent = newest.get(row.key) === row.version;
      const definition = toDefinition(row, isCurrent ? row.key : versionedKey(row.key, row.version), plugins);
      if (isCurrent) current.set(row.key, definition);
      byVersion.set(versionedKey(row.key, row.version), definition);
    } catch (error) {
      log(`Workspace KPI "${row.key}" version ${row.version} is left out: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (current.size === 0 && byVersion.size === 0) return plugins;
  const all = [...plugins.list(), ...current.values()];
  const get = (key: string): KpiDefinition | undefined => plugins.get(key) ?? current.get(key) ?? byVersion.get(key);
  return {
    get,
    sourceOf: (key) => plugins.sourceOf(key) ?? (get(key) ? 'workspace formula' : undefined),
    list: () => all,
    recommended: (stage) => plugins.recommended(stage),
  };
}

/** The stored versions of a workspace's KPIs that are not removed. */
export async function loadWorkspaceKpis(db: Database, workspaceId: number): Promise<WorkspaceKpiVersion[]> {
  return db.prisma.workspaceKpi.findMany({ where: { workspaceId, removedAt: null }, orderBy: [{ key: 'asc' }, { version: 'asc' }] });
}
