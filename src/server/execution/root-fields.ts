import type { OperationDefinitionNode } from 'graphql';
import { Kind } from 'graphql';

/**
 * The root fields of KPI queries: the catalogue, whose values depend only on
 * the data version, the workspace's KPIs, the key's role and team, and the
 * request's clock.
 */
export const kpiRootFields: ReadonlySet<string> = new Set(['kpis', 'kpi', 'recommendedKpis', '__typename']);

/** Whether every root selection of the operation is a field in `fields` (fragments at the root do not count). */
export function readsOnly(operation: OperationDefinitionNode, fields: ReadonlySet<string>): boolean {
  return operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && fields.has(selection.name.value));
}
