/**
 * defineKpi, updateKpi and removeKpi: KPIs an admin defines at run time as
 * a formula over the plugins' KPIs. The formula is parsed and type-checked
 * by unit before anything is stored; a mistake is reported with its column.
 */
import { GraphQLError } from 'graphql';
import { Decimal } from 'decimal.js';
import { checkDefinition, checkKey } from '../kpi/definition-checks.js';
import type { KpiDefinition } from '../kpi/define.js';
import { FormulaError } from '../kpi/expression/index.js';
import type { Unit } from '../kpi/types.js';
import type { WorkspaceKpiVersion } from '../kpi/workspace-kpis.js';
import { checkFormula, createWorkspaceRegistry, loadWorkspaceKpis } from '../kpi/workspace-kpis.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import type { FieldProblem } from './errors.js';
import { badUserInput, conflict, notFound } from './errors.js';
import { DirectionEnum, KpiDefinitionRef, UnitEnum } from './kpi.js';
import { nameText } from '../records/rules.js';

const formulaDescription =
  'An expression over the plugins’ KPI keys: + - * /, comparisons (< <= > >= == !=), and, or, not, if(condition, then, else), coalesce(a, b, …), min, max, abs and decimal numbers, e.g. "won_revenue / active_customers". Division by zero gives no value with a reason. Checked by unit: money + count is refused.';

const DefineKpiInput = builder.inputType('DefineKpiInput', {
  description: 'A KPI computed by a formula over other KPIs, for this workspace only.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'snake_case, unique among the plugins’ and the workspace’s KPIs.' }),
    name: t.string({ required: true, validate: nameText }),
    description: t.string({ required: true, validate: nameText }),
    unit: t.field({ type: UnitEnum, required: true, description: 'The unit the formula must give (money ÷ count gives money, money ÷ money a ratio).' }),
    direction: t.field({ type: DirectionEnum, required: true }),
    formula: t.string({ required: true, description: formulaDescription }),
    target: t.field({ type: 'Decimal', required: false, description: 'Default target in the KPI’s unit; a percent KPI takes a fraction.' }),
  }),
});

const UpdateKpiInput = builder.inputType('UpdateKpiInput', {
  description: 'A new version of a workspace KPI: fields left out keep their current value. Goals set on an older version keep reading it.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'The workspace KPI to change.' }),
    name: t.string({ required: false, validate: nameText }),
    description: t.string({ required: false, validate: nameText }),
    unit: t.field({ type: UnitEnum, required: false }),
    direction: t.field({ type: DirectionEnum, required: false }),
    formula: t.string({ required: false, description: formulaDescription }),
    target: t.field({ type: 'Decimal', required: false, description: 'Default target; null removes it.' }),
  }),
});

const RemovedKpi = builder.objectRef<{ key: string; versions: number }>('RemovedKpi').implement({
  description: 'A workspace KPI that was removed, with every version of it.',
  fields: (t) => ({
    key: t.exposeString('key'),
    versions: t.exposeInt('versions', { description: 'How many versions were removed.' }),
  }),
});

/** Workspace KPIs are company-wide: a key limited to a team may not change them. */
function assertCompanyWide(ctx: GraphQLContext): void {
  if (ctx.auth.teamId !== null) {
    throw new GraphQLError('This API key is limited to one team; workspace KPIs are company-wide and need a key of the whole workspace.', { extensions: { code: 'FORBIDDEN' } });
  }
}

/** Checks a version about to be stored; throws BAD_USER_INPUT naming each field at fault. */
function checkVersion(ctx: GraphQLContext, row: Omit<WorkspaceKpiVersion, 'version'>): void {
  const problems: FieldProblem[] = [];
  for (const problem of checkKey(row.key)) problems.push({ field: 'input.key', message: problem });
  const target = row.target === null ? undefined : new Decimal(row.target.toString()).toNumber();
  const shape = { kind: 'derived', key: row.key, name: row.name, description: row.description, unit: row.unit, direction: row.direction, stages: [], dimensions: [], derived: { formula: 'formula' }, formula: () => null };
  for (const problem of checkDefinition({ ...shape, ...(target === undefined ? {} : { target: { default: target } }) } as unknown as KpiDefinition)) {
    problems.push({ field: problem.startsWith('target') ? 'input.target' : 'input', message: problem });
  }
  try {
    checkFormula(row.formula, row.unit as Unit, ctx.plugins);
  } catch (error) {
    if (!(error instanceof FormulaError)) throw error;
    problems.push({ field: 'input.formula', message: `at column ${error.column}: ${error.detail}` });
  }
  if (problems.length > 0) throw badUserInput(problems);
}

/** The stored row as the KPI it defines, read back through a fresh registry of the workspace. */
async function definitionOf(ctx: GraphQLContext, key: string): Promise<KpiDefinition> {
  ctx.invalidateKpis();
  const registry = createWorkspaceRegistry(ctx.plugins, await loadWorkspaceKpis(ctx.db, ctx.workspace.id));
  const definition = registry.get(key);
  if (!definition) throw new Error(`workspace KPI "${key}" was stored but does not resolve`);
  return definition;
}

const isUniqueViolation = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';

builder.mutationFields((t) => ({
  defineKpi: t.field({
    type: KpiDefinitionRef,
    authScopes: { admin: true },
    description: 'Defines a workspace KPI by a formula over the plugins’ KPIs; it then works wherever a plugin KPI does (values, series, breakdowns, goals).',
    args: { input: t.arg({ type: DefineKpiInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      assertCompanyWide(ctx);
      const row = { ...input, target: input.target ?? null };
      checkVersion(ctx, row);
      if (ctx.plugins.get(input.key)) throw badUserInput({ field: 'input.key', message: `"${input.key}" is a plugin’s KPI; choose another key.` });
      const existing = await ctx.prisma.workspaceKpi.findMany({ where: { key: input.key }, select: { version: true, removedAt: true } });
      if (existing.some((version) => version.removedAt === null)) throw conflict(`KPI "${input.key}" is already defined; use updateKpi to change it.`);
      // A removed key may be defined again: its versions keep counting.
      const version = Math.max(0, ...existing.map((v) => v.version)) + 1;
      try {
        await ctx.prisma.workspaceKpi.create({ data: { ...row, version, workspaceId: ctx.workspace.id } });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`KPI "${input.key}" was defined meanwhile; read it and use updateKpi.`);
        throw error;
      }
      return definitionOf(ctx, input.key);
    },
  }),
  updateKpi: t.field({
    type: KpiDefinitionRef,
    authScopes: { admin: true },
    description: 'Stores a new version of a workspace KPI. Old versions are kept: goals set on them keep measuring what they were set on.',
    args: { input: t.arg({ type: UpdateKpiInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      assertCompanyWide(ctx);
      const current = await ctx.prisma.workspaceKpi.findFirst({ where: { key: input.key, removedAt: null }, orderBy: { version: 'desc' } });
      if (!current) throw notFound('Workspace KPI', input.key);
      const row = {
        key: current.key,
        name: input.name ?? current.name,
        description: input.description ?? current.description,
        unit: input.unit ?? current.unit,
        direction: input.direction ?? current.direction,
        formula: input.formula ?? current.formula,
        target: input.target === undefined ? (current.target?.toString() ?? null) : input.target,
      };
      checkVersion(ctx, row);
      try {
        await ctx.prisma.workspaceKpi.create({ data: { ...row, version: current.version + 1, workspaceId: ctx.workspace.id } });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`KPI "${input.key}" was changed meanwhile (version ${current.version + 1} exists); read it again and reapply your change.`);
        throw error;
      }
      return definitionOf(ctx, input.key);
    },
  }),
  removeKpi: t.field({
    type: RemovedKpi,
    authScopes: { admin: true },
    description: 'Removes a workspace KPI and its versions. Refused while a goal that is not archived uses it.',
    args: { key: t.arg.string({ required: true }) },
    resolve: async (_root, { key }, ctx) => {
      assertCompanyWide(ctx);
      const goals = await ctx.prisma.goal.count({ where: { kpiKey: key, archivedAt: null } });
      if (goals > 0) throw conflict(`KPI "${key}" is used by ${goals} goal${goals === 1 ? '' : 's'}; archive ${goals === 1 ? 'it' : 'them'} first.`);
      const { count } = await ctx.prisma.workspaceKpi.updateMany({ where: { key, removedAt: null }, data: { removedAt: new Date() } });
      if (count === 0) throw notFound('Workspace KPI', key);
      ctx.invalidateKpis();
      return { key, versions: count };
    },
  }),
}));
