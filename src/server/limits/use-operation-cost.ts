import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitError } from './errors.js';
import type { KpiCostOptions } from './kpi-cost.js';
import { estimateOperation } from './kpi-cost.js';

export interface OperationCostOptions extends Omit<KpiCostOptions, 'kpiCount'> {
  /** Most estimated KPI cells one operation may ask for. */
  maxCells: number;
  /** The number of registered KPIs (the registry loads lazily, hence a promise). */
  kpiCount: number | (() => Promise<number>);
}

const ownErrors = new WeakSet<GraphQLError>();

const own = (error: GraphQLError): GraphQLError => {
  ownErrors.add(error);
  return error;
};

/**
 * Refuses an operation whose estimated KPI cells exceed the limit, or that
 * asks any connection for a page beyond the maximum size (the schema checks
 * this too, but only where a field remembered to, and only once the context
 * is built), after validation and before the context (so before any SQL).
 *
 * The estimate depends on the variables, but yoga caches validation results
 * per document: so this runs in the validation's after-hook, which runs on
 * cache hits too, first dropping any cost error a cached result carries
 * from an earlier request and then judging this request's variables.
 */
export function useOperationCost(options: OperationCostOptions): Plugin {
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
        const errors = result.filter((error) => !ownErrors.has(error));
        if (errors.length > 0) {
          if (errors.length !== result.length) setResult(errors);
          return;
        }
        const { params } = context;
        const { cells: estimate, pageSizeProblems } = estimateOperation(schema, documentAST, params?.operationName, params?.variables, {
          ...options,
          kpiCount: kpiCount ?? fallbackKpiCount,
        });
        if (pageSizeProblems.length > 0) {
          setResult(
            pageSizeProblems.map(({ field, argument, asked }) =>
              own(
                limitError(
                  'BAD_USER_INPUT',
                  asked < 0
                    ? `${field}(${argument}: ${asked}): ${argument} must not be negative.`
                    : `${field}(${argument}: ${asked}): ${argument} must be at most ${options.maxPageSize} (the maximum page size); page with after or before for more.`,
                  { field: argument, maxPageSize: options.maxPageSize },
                ),
              ),
            ),
          );
          return;
        }
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
        setResult([own(error)]);
      };
    },
  };
}
