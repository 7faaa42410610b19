import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

/** The query GraphiQL opens on: a first look at the demo data. */
export const firstQuery = `# Welcome to kpigraph. Try this, then open the Docs panel.
query FirstLook {
  kpi(key: "win_rate") {
    name
    unit
    value(period: { named: LAST_QUARTER }) { value target status }
  }
  deals(first: 5, filter: { stage: [WON] }, orderBy: { field: CLOSED_AT, direction: DESC }) {
    totalCount
    edges {
      node { title amount closedAt customer { name region } owner { name team { name } } }
    }
  }
}
`;

/**
 * GraphiQL's options. `defaultQuery` (not `query`) so that yoga's own welcome
 * text does not replace it; a returning user's saved tabs still win, as
 * GraphiQL keeps them in the browser.
 */
export function graphiqlOptions(graphiqlKey: string | undefined): GraphiQLOptions {
  return {
    title: 'kpigraph',
    defaultQuery: firstQuery,
    ...(graphiqlKey ? { headers: JSON.stringify({ Authorization: `Bearer ${graphiqlKey}` }, null, 2) } : {}),
  };
}

/**
 * The GraphiQL page with its code, styles and editor workers inlined from the
 * installed @graphql-yoga/render-graphiql package: the page loads nothing from
 * another host, so it works without internet.
 */
export function renderOfflineGraphiQL(options: GraphiQLOptions): string {
  // The page inlines GraphiQL's whole bundle: render it once per set of options, not per request.
  const cacheKey = JSON.stringify(options);
  if (rendered?.cacheKey !== cacheKey) rendered = { cacheKey, html: renderGraphiQL(options) };
  return rendered.html;
}

let rendered: { cacheKey: string; html: string } | undefined;
