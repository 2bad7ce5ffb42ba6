/** Portfolio directory tools. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListUserPortfoliosInputSchema, ListUserPortfoliosOutputSchema } from '../../core/contracts/portfolio-summary.ts';
import { listPortfolioSummaries } from '../../core/services/portfolio-directory.ts';
import type { McpContext } from '../context.ts';
import { defineTool, READ_ONLY } from './define.ts';

const usd = (x: number | null) => (x === null ? 'n/a' : `$${Math.round(x).toLocaleString('en-US')}`);

export function registerPortfolioTools(server: McpServer, ctx: McpContext): void {
  defineTool(server, ctx, {
    name: 'list_user_portfolios',
    title: 'List my portfolios',
    description: "Lists the caller's portfolios with ids, names, position counts and values. Call this first when you need a portfolio id.",
    input: ListUserPortfoliosInputSchema,
    output: ListUserPortfoliosOutputSchema,
    annotations: READ_ONLY,
    run: async (_input, c) => {
      const portfolios = await listPortfolioSummaries(c.deps, c.principal);
      return { portfolios, count: portfolios.length };
    },
    summary: (out) =>
      out.count === 0 ? 'No portfolios.' : `${out.count} portfolio(s): ${out.portfolios.map((p) => `${p.name} (${p.id}, ${usd(p.total_value)})`).join('; ')}.`,
  });
}
