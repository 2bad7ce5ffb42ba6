/**
 * Resources: the caller's portfolio list, each portfolio's summary, and each portfolio's latest
 * report (Markdown, rendered from the stored results of its latest as-of date). Reads go through
 * the same services and ownership check as the tools. The templates' `portfolio_id` completes to
 * the caller's own portfolio ids; tools answering for a portfolio link its report
 * (`reportResourceLink`).
 */
import { ResourceTemplate } from '@modelcontextprotocol/server';
import type { McpServer } from '@modelcontextprotocol/server';
import { notFound } from '../core/errors.ts';
import { completePortfolioIds } from '../core/services/completions.ts';
import { listPortfolios } from '../core/services/portfolios.ts';
import { latestReportMarkdown } from '../core/services/reports.ts';
import type { McpContext } from './context.ts';

const json = (uri: URL, value: unknown) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] });

/** The URI of a portfolio's latest report resource. */
export const reportUri = (portfolioId: string) => `sigmasight://reports/${encodeURIComponent(portfolioId)}/latest`;

/** A `resource_link` content block to the portfolio's latest report, for tool results. */
export function reportResourceLink(portfolioId: string) {
  return { type: 'resource_link' as const, uri: reportUri(portfolioId), name: `report-${portfolioId}`, title: 'Latest risk report', description: 'The full Markdown risk report of this portfolio (latest results date)', mimeType: 'text/markdown' };
}

export function registerResources(server: McpServer, ctx: McpContext): void {
  const list = () => listPortfolios(ctx.deps, ctx.principal);
  const complete = { portfolio_id: (typed: string | undefined) => completePortfolioIds(ctx.deps, ctx.principal, typed ?? '') };
  server.registerResource(
    'portfolios',
    'sigmasight://portfolios',
    { title: 'My portfolios', description: "The caller's portfolios with total values and position counts", mimeType: 'application/json' },
    async (uri) => json(uri, await list()),
  );
  server.registerResource(
    'portfolio',
    new ResourceTemplate('sigmasight://portfolios/{portfolio_id}', {
      list: async () => ({ resources: (await list()).map((p) => ({ uri: `sigmasight://portfolios/${p.id}`, name: p.name, mimeType: 'application/json' })) }),
      complete,
    }),
    { title: 'Portfolio summary', description: 'One portfolio: total value and position count', mimeType: 'application/json' },
    async (uri, { portfolio_id }) => {
      const found = (await list()).find((p) => p.id === portfolio_id);
      if (!found) throw notFound('portfolio', String(portfolio_id));
      return json(uri, found);
    },
  );
  server.registerResource(
    'latest_report',
    new ResourceTemplate('sigmasight://reports/{portfolio_id}/latest', {
      list: async () => ({ resources: (await list()).map((p) => ({ uri: reportUri(p.id), name: `${p.name} — latest report`, mimeType: 'text/markdown' })) }),
      complete,
    }),
    { title: 'Latest risk report', description: 'The portfolio report of the latest results date: exposures, factors, Greeks, scenarios, stress, VaR, correlations', mimeType: 'text/markdown' },
    async (uri, { portfolio_id }) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: await latestReportMarkdown(ctx.deps, ctx.principal, String(portfolio_id)) }] }),
  );
}
