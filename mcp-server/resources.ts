/**
 * Resources: the caller's portfolio list, each portfolio's summary, and each portfolio's latest
 * report (Markdown, rendered from the stored results of its latest as-of date). Reads go through
 * the same services and ownership check as the tools.
 */
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { latestAsOf } from '../db/queries/results.ts';
import { portfolioExposures } from '../db/schema/index.ts';
import { notFound } from '../core/errors.ts';
import { loadReportData } from '../core/reports/report-data.ts';
import { renderMarkdown } from '../core/reports/markdown.ts';
import { requireOwnedPortfolio } from '../core/services/context.ts';
import { listPortfolios } from '../core/services/portfolios.ts';
import type { McpContext } from './context.ts';

const json = (uri: URL, value: unknown) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] });

async function latestReport(ctx: McpContext, portfolioId: string): Promise<string> {
  const p = await requireOwnedPortfolio(ctx.deps.db, ctx.principal, portfolioId);
  const now = ctx.deps.clock();
  const latest = await latestAsOf(ctx.deps.db, portfolioExposures, p.id, now.toISOString().slice(0, 10));
  if (!latest) return `# ${p.name}\n\nNo batch results yet: call the run_portfolio_batch tool (or run \`npm run batch\`) to compute them.\n`;
  return renderMarkdown(await loadReportData(ctx.deps.db, p.id, latest.asOf, now));
}

export function registerResources(server: McpServer, ctx: McpContext): void {
  const list = () => listPortfolios(ctx.deps, ctx.principal);
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
      list: async () => ({ resources: (await list()).map((p) => ({ uri: `sigmasight://reports/${p.id}/latest`, name: `${p.name} — latest report`, mimeType: 'text/markdown' })) }),
    }),
    { title: 'Latest risk report', description: 'The portfolio report of the latest results date: exposures, factors, Greeks, scenarios, stress, VaR, correlations', mimeType: 'text/markdown' },
    async (uri, { portfolio_id }) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: await latestReport(ctx, String(portfolio_id)) }] }),
  );
}
