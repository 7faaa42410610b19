// A plain TypeScript client of kpigraph: fetch plus the TypedDocumentNodes and
// KPI registry types that `npm run codegen` writes into ./gql (see
// docs/clients.md). Every result and variable below is typed from the schema.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { DealsPageQuery } from './gql/graphql.js';
import { CustomerDealsDocument, DealsPageDocument, KpiCardDocument } from './gql/graphql.js';
import type { KpiKey, KpiParams } from './gql/kpi-registry.js';
import { kpiUnits } from './gql/kpi-registry.js';

export interface ClientOptions {
  url: string;
  apiKey: string;
  /** Send only the operation's hash: what a server with PERSISTED_OPERATIONS=only runs. */
  trustedDocuments?: boolean;
}

/** Runs one operation; throws with the server's messages when it answers errors. */
export async function request<Result, Variables>(
  options: ClientOptions,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  const body = options.trustedDocuments && hash ? { documentId: hash, variables } : { query: print(document), variables };
  const response = await fetch(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { data?: Result | null; errors?: { message: string }[] };
  if (answer.errors?.length || !answer.data) throw new Error(answer.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`);
  return answer.data;
}

/** A KPI's value for a card: the params are checked against the KPI's own params type. */
export async function kpiCard<Key extends KpiKey>(options: ClientOptions, key: Key, params: KpiParams[Key]) {
  const { kpi } = await request(options, KpiCardDocument, { key, period: { named: 'LAST_QUARTER' }, params });
  if (!kpi) return null;
  // kpi.unit is the API's KpiUnit; the registry knows it before the request, e.g. to pick a formatter.
  const unit = kpiUnits[key];
  return { name: kpi.name, unit, value: kpi.value.value, target: kpi.value.target, status: kpi.value.status };
}

/** Every title of the won deals, page by page, and how many there are. */
export async function wonDealTitles(options: ClientOptions): Promise<{ total: number; titles: string[] }> {
  const titles: string[] = [];
  let after: string | null = null;
  let total = 0;
  for (;;) {
    const page: DealsPageQuery = await request(options, DealsPageDocument, { filter: { stage: ['WON'] }, first: 100, after });
    total = page.deals.totalCount;
    titles.push(...page.deals.edges.map((edge) => edge.node.title));
    if (!page.deals.pageInfo.hasNextPage) return { total, titles };
    after = page.deals.pageInfo.endCursor ?? null;
  }
}

/** The number of a customer's deals: Customer.deals is a DealConnection too. */
export async function customerDealCount(options: ClientOptions, customerId: string): Promise<number | null> {
  const { node } = await request(options, CustomerDealsDocument, { id: customerId });
  return node && 'deals' in node ? node.deals.totalCount : null;
}

export const examples = { stageConversion: { stage: 'PROPOSAL' } satisfies KpiParams['stage_conversion'] };
