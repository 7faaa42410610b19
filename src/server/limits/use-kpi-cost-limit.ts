import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitError } from './errors.js';
import type { KpiCostOptions } from './kpi-cost.js';
import { estimateKpiCells } from './kpi-cost.js';

export interface KpiCostLimitOptions extends Omit<KpiCostOptions, 'kpiCount'> {
  /** Most estimated KPI cells one operation may ask for. */
  maxCells: number;
  /** The number of registered KPIs (the registry loads lazily, hence a promise). */
  kpiCount: number | (() => Promise<number>);
}

const costErrors = new WeakSet<GraphQLError>();

/**
 * Refuses an operation whose estimated KPI cells exceed the limit, after
 * validation and before the context is built (so before any SQL).
 *
 * The estimate depends on the variables, but yoga caches validation results
 * per document: so this runs in the validation's after-hook, which runs on
 * cache hits too, first dropping any cost error a cached result carries
 * from an earlier request and then judging this request's variables.
 */
export function useKpiCostLimit(options: KpiCostLimitOptions): Plugin {
  let kpiCount = typeof options.kpiCount === 'number' ? options.kpiCount : undefined;
  const fallbackKpiCount = 100;
  return {
    async onParams() {
      if (kpiCount !== undefined || typeof options.kpiCount === 'number') return;
      try {
        kpiCount = await options.kpiCount();
      } catch {
        // The registry's own error surfaces when the context is built; estimate generously meanwhile.
      }
    },
    onValidate({ params: { schema, documentAST } }) {
      return ({ result, setResult, context }) => {
        const errors = result.filter((error) => !costErrors.has(error));
        if (errors.length > 0) {
          if (errors.length !== result.length) setResult(errors);
          return;
        }
        const { params } = context;
        const estimate = estimateKpiCells(schema, documentAST, params?.operationName, params?.variables, {
          ...options,
          kpiCount: kpiCount ?? fallbackKpiCount,
        });
        if (estimate <= options.maxCells) {
          if (result.length > 0) setResult([]);
          return;
        }
        const shown = Number.isFinite(estimate) ? String(Math.ceil(estimate)) : 'too many to count';
        const error = limitError(
          'QUERY_TOO_EXPENSIVE',
          `This operation asks for about ${shown} KPI cells; the limit is ${options.maxCells}. ` +
            'Ask for fewer KPIs (kpis(keys: …)), a coarser grain, a shorter range or a breakdown with fewer groups, or split it into several requests.',
          { estimatedCells: Number.isFinite(estimate) ? Math.ceil(estimate) : null, maxCells: options.maxCells },
        );
        costErrors.add(error);
        setResult([error]);
      };
    },
  };
}
