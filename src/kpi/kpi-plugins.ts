/**
 * The registry a process boots with, whether it serves (server/) or seeds
 * and evaluates from the command line (cli/): the built-in plugins plus the
 * partners' modules named in configuration.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtInPlugins } from '../../plugins/index.js';
import type { KpiDefinition } from './define.js';
import { PluginRegistryError } from './errors.js';
import type { KpiRegistry, RegisteredKpi } from './registry.js';
import { createRegistry } from './registry.js';

const isDefinitionLike = (value: unknown): value is KpiDefinition =>
  typeof value === 'object' && value !== null && 'key' in value && ('formula' in value || 'compute' in value || 'kind' in value);

/**
 * The KPI definitions a partner module offers: its default export (one
 * definition or a list) or a named `plugins` list.
 */
function definitionsOf(module: Record<string, unknown>): unknown[] {
  const exported = module['default'] ?? module['plugins'];
  if (Array.isArray(exported)) return exported;
  return exported === undefined ? [] : [exported];
}

/** Imports the modules named in KPI_PLUGINS: file paths (relative to `cwd`) or package names. */
export async function loadPartnerPlugins(specifiers: readonly string[], cwd = process.cwd()): Promise<{ plugins: RegisteredKpi[]; problems: string[] }> {
  const plugins: RegisteredKpi[] = [];
  const problems: string[] = [];
  for (const specifier of specifiers) {
    const isPath = specifier.startsWith('.') || specifier.startsWith('/') || /\.[cm]?[jt]s$/.test(specifier);
    const target = isPath ? pathToFileURL(path.resolve(cwd, specifier)).href : specifier;
    try {
      const module = (await import(target)) as Record<string, unknown>;
      const definitions = definitionsOf(module);
      if (definitions.length === 0) problems.push(`${specifier}: exports no KPI definition (export default defineKpi({...}) or a list).`);
      for (const definition of definitions) {
        if (isDefinitionLike(definition)) plugins.push({ definition, source: specifier });
        else problems.push(`${specifier}: an export is not a KPI definition made with defineKpi.`);
      }
    } catch (error) {
      problems.push(`${specifier}: could not be loaded (${error instanceof Error ? error.message : String(error)}).`);
    }
  }
  return { plugins, problems };
}

/**
 * The registry of built-in plugins plus partners' plugins. Any problem, in
 * loading or in a definition, stops the boot with every problem listed.
 */
export async function createKpiRegistry(partnerSpecifiers: readonly string[] = []): Promise<KpiRegistry> {
  const { plugins, problems } = await loadPartnerPlugins(partnerSpecifiers);
  try {
    const registry = createRegistry([...builtInPlugins, ...plugins]);
    if (problems.length > 0) throw new PluginRegistryError(problems);
    return registry;
  } catch (error) {
    if (error instanceof PluginRegistryError) throw new PluginRegistryError([...problems, ...error.problems.filter((p) => !problems.includes(p))]);
    throw error;
  }
}
