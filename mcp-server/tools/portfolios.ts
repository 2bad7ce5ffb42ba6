/** Portfolio and position tools: the directory, the complete view and position details. */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from '@hono/zod-openapi';
import { DateSchema } from '../../core/contracts/common.ts';
import { PortfolioCompleteSchema, PortfolioListItemSchema, PositionsDetailsQuerySchema, PositionsDetailsSchema } from '../../core/contracts/portfolio.ts';
import { getPortfolioComplete, listPortfolios } from '../../core/services/portfolios.ts';
import { getPositionsDetails } from '../../core/services/positions.ts';
import type { McpContext } from '../context.ts';
import { defineTool, READ_ONLY } from './define.ts';
import { flag, listInput, portfolioIdInput, portfolioOf, usd } from './inputs.ts';

const ListOutput = z.object({ portfolios: z.array(PortfolioListItemSchema).describe("the caller's portfolios, oldest first; the first is the default portfolio"), count: z.number().int() });

const CompleteInput = z.object({
  portfolio_id: portfolioIdInput,
  include_holdings: flag(true, 'include the holdings array'),
  include_timeseries: flag(false, 'include the stored daily equity series'),
  include_attrib: flag(false, 'include top contributors and detractors by unrealized P&L'),
  as_of_date: DateSchema.nullish().describe('value the book as of this date (at most 180 days back); default the latest trading day'),
});

const DetailsInput = z.object({
  portfolio_id: portfolioIdInput,
  position_ids: listInput(PositionsDetailsQuerySchema.shape.position_ids.nullable(), 'position ids (your own only, at most 200); when set, only these positions'),
  include_closed: flag(false, 'include positions with an exit date'),
});

export function registerPortfolioTools(server: McpServer, ctx: McpContext): void {
  defineTool(server, ctx, {
    name: 'list_user_portfolios', title: 'List my portfolios', annotations: READ_ONLY,
    description: "Lists the caller's portfolios with ids, names, total values (NAV) and position counts. Call this first when you need a portfolio id.",
    input: z.object({}), output: ListOutput,
    run: async (_i, c) => {
      const portfolios = await listPortfolios(c.deps, c.principal);
      return { portfolios, count: portfolios.length };
    },
    summary: (o) => (o.count === 0 ? 'No portfolios.' : `${o.count} portfolio(s): ${o.portfolios.map((p) => `${p.name} (${p.id}, ${usd(p.total_value)}, ${p.position_count} positions)`).join('; ')}.`),
  });

  defineTool(server, ctx, {
    name: 'get_portfolio_complete', title: 'Portfolio snapshot', annotations: READ_ONLY,
    description: 'One-shot portfolio snapshot: equity, cash, counts by type, holdings with live prices (at most 200, truncated flag), data-quality summary; optional equity time series and P&L attribution.',
    input: CompleteInput, output: PortfolioCompleteSchema,
    hints: { VALIDATION: 'as_of_date must be a trading date within the last 180 days' },
    run: async (i, c) => {
      const out = await getPortfolioComplete(c.deps, c.principal, await portfolioOf(c, i.portfolio_id), { ...i, as_of_date: i.as_of_date ?? undefined });
      return capHoldings(out);
    },
    summary: (o) => `${o.portfolio.name}: total value ${usd(o.portfolio.total_value)}, cash ${usd(o.portfolio.cash_balance)}, ${o.portfolio.position_count} positions, as of ${o.portfolio.as_of}.`,
  });

  defineTool(server, ctx, {
    name: 'get_positions_details', title: 'Position details', annotations: READ_ONLY,
    description: 'Position rows with entry date and price, cost basis, current price, market value and unrealized P&L, plus totals. At most 200 rows.',
    input: DetailsInput, output: PositionsDetailsSchema,
    run: async (i, c) => {
      const ids = i.position_ids ?? undefined;
      const portfolio_id = ids && !i.portfolio_id ? undefined : await portfolioOf(c, i.portfolio_id);
      return getPositionsDetails(c.deps, c.principal, { portfolio_id, position_ids: ids, include_closed: i.include_closed });
    },
    summary: (o) => `${o.positions.length} position(s), total market value ${usd(o.summary.total_market_value)}, unrealized P&L ${usd(o.summary.total_unrealized_pnl)}.`,
  });
}

/** Holdings beyond 200 are cut structurally and flagged, never mid-JSON. */
function capHoldings<T extends { holdings?: unknown[] | undefined; meta: Record<string, unknown> }>(out: T): T {
  if (!out.holdings || out.holdings.length <= 200) return out;
  return { ...out, holdings: out.holdings.slice(0, 200), meta: { ...out.meta, truncated: true } };
}
