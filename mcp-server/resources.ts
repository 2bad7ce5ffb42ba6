/**
 * Resources: the caller's portfolio list and each portfolio's summary, as JSON. Reads go through
 * the same services as the tools, so ownership is checked the same way.
 */
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { listPortfolioSummaries } from '../core/services/portfolio-directory.ts';
import { notFound } from '../core/errors.ts';
import type { McpContext } from './context.ts';

const json = (uri: URL, value: unknown) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] });

export function registerResources(server: McpServer, ctx: McpContext): void {
  server.registerResource(
    'portfolios',
    'sigmasight://portfolios',
    { title: 'My portfolios', description: "The caller's portfolios with values and the as-of date of their latest results", mimeType: 'application/json' },
    async (uri) => json(uri, await listPortfolioSummaries(ctx.deps, ctx.principal)),
  );
  server.registerResource(
    'portfolio',
    new ResourceTemplate('sigmasight://portfolios/{portfolio_id}', {
      list: async () => ({
        resources: (await listPortfolioSummaries(ctx.deps, ctx.principal)).map((p) => ({ uri: `sigmasight://portfolios/${p.id}`, name: p.name, mimeType: 'application/json' })),
      }),
    }),
    { title: 'Portfolio summary', description: 'One portfolio: value, counts and latest results date', mimeType: 'application/json' },
    async (uri, { portfolio_id }) => {
      const found = (await listPortfolioSummaries(ctx.deps, ctx.principal)).find((p) => p.id === portfolio_id);
      if (!found) throw notFound('portfolio', String(portfolio_id));
      return json(uri, found);
    },
  );
}
