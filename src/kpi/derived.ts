/**
 * Derived KPIs: a KPI defined from other KPIs by a formula over their
 * values (`ltv_cac_ratio` from `ltv` and `cac`). The registry resolves one
 * into an inputs KPI that carries every component's measures under
 * `<name>.<input>`, so the engine plans, merges and batches them with
 * everything else of a request: a derived KPI costs no statement of its own.
 */
import type { Decimal } from 'decimal.js';
import type { DerivedKpiDefinition, KpiContext, KpiDefinition, MeasureValues } from './define.js';
import { checkResult } from './result-check.js';
import type { Measure } from './measures.js';
import type { KpiComponent, KpiResult } from './types.js';

export type { DerivedKpiDefinition, DerivedKpiSpec } from './define.js';

type InputsDefinition = KpiDefinition & { kind: 'inputs' };

/** What a resolved derived KPI keeps of its origin, for explanations and docs. */
export interface DerivedOrigin {
  components: Readonly<Record<string, string>>;
}

const origins = new WeakMap<KpiDefinition, DerivedOrigin>();

/** The components of a KPI the registry resolved from a derived one; undefined for any other KPI. */
export function derivedOrigin(definition: KpiDefinition): DerivedOrigin | undefined {
  return origins.get(definition);
}

/** A component's params: the derived KPI's values of the parameters the component declares, with its defaults. */
function componentParams(component: InputsDefinition, params: Record<string, unknown>): Record<string, unknown> {
  const schema = component.params;
  if (!schema) return {};
  const picked = Object.fromEntries(Object.keys(schema.shape).filter((name) => name in params).map((name) => [name, params[name]]));
  return schema.parse(picked) as Record<string, unknown>;
}

/**
 * The inputs KPI a derived KPI stands for, given its components (already
 * resolved). The component values are computed by the components' own
 * formulas, from the same measure rows, and listed in the result's
 * `components`.
 */
export function resolveDerived(definition: DerivedKpiDefinition, components: Readonly<Record<string, InputsDefinition>>): InputsDefinition {
  const inputs: Record<string, Measure> = {};
  for (const [name, component] of Object.entries(components)) {
    for (const [input, measure] of Object.entries(component.inputs)) inputs[`${name}.${input}`] = measure;
  }
  const entries = Object.entries(components);
  const paramsCache = new WeakMap<object, Record<string, Record<string, unknown>>>();
  const paramsFor = (params: Record<string, unknown>): Record<string, Record<string, unknown>> => {
    let cached = paramsCache.get(params);
    if (!cached) paramsCache.set(params, (cached = Object.fromEntries(entries.map(([name, component]) => [name, componentParams(component, params)]))));
    return cached;
  };
  const formula = (values: MeasureValues<Record<string, Measure>>, context: KpiContext<Record<string, unknown>>): KpiResult => {
    const params = paramsFor(context.params);
    const explained: KpiComponent[] = [];
    const results: Record<string, KpiResult> = {};
    const decimals: Record<string, Decimal> = {};
    let missing: KpiResult | undefined;
    for (const [name, component] of entries) {
      const own: Record<string, unknown> = {};
      for (const input of Object.keys(component.inputs)) own[input] = values[`${name}.${input}`];
      const result = checkResult(component.formula(own as MeasureValues<Record<string, Measure>>, { params: params[name]!, period: context.period }), component.key);
      explained.push({ name, kpiKey: component.key, result });
      results[name] = result;
      if (result.value === null) {
        missing ??= { value: null, reason: { code: result.reason?.code ?? 'NO_DATA', message: `${component.name} (${component.key}) has no value: ${result.reason?.message ?? 'no reason given'}` } };
      } else decimals[name] = result.value;
    }
    if (definition.combine) return { ...checkResult(definition.combine(results, context), definition.key), components: explained };
    if (missing) return { ...missing, components: explained };
    const result = definition.formula(decimals, context);
    return { ...checkResult(result, definition.key), components: explained };
  };
  const { derived, kind: _kind, formula: _formula, combine: _combine, ...base } = definition;
  const resolved: InputsDefinition = { ...base, kind: 'inputs', inputs, formula };
  origins.set(resolved, { components: derived });
  return resolved;
}
