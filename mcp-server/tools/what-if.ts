/** On-the-fly tools: a custom stress test and a simulated trade. Nothing is stored. */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from '@hono/zod-openapi';
import { CustomStressOutputSchema, ShockSchema, SimulateTradeOutputSchema, TradeSchema } from '../../core/contracts/what-if.ts';
import { runCustomStressTest, simulateTrade } from '../../core/services/what-if.ts';
import type { McpContext } from '../context.ts';
import { COMPUTE_ONLY, defineTool } from './define.ts';
import { portfolioIdInput, portfolioOf, usd } from './inputs.ts';
import { text } from '../../core/contracts/common.ts';
import { appViewMeta } from '../app-views.ts';

export function registerWhatIfTools(server: McpServer, ctx: McpContext): void {
  defineTool(server, ctx, {
    name: 'run_custom_stress_test', title: 'Custom stress test', annotations: COMPUTE_ONLY,
    description: 'P&L of user-defined factor shocks (e.g. Market −15 %, Interest_Rate +0.005 = +50 bp) over the portfolio\'s dollar factor exposures, by the same method as the catalogue stress tests. Computed now, nothing stored.',
    input: z.object({
      portfolio_id: portfolioIdInput,
      shocks: z.array(ShockSchema).min(1).max(8).describe('one entry per shocked factor'),
      name: text().max(80).nullish().describe('a label for the scenario'),
    }),
    output: CustomStressOutputSchema,
    run: async (i, c) => runCustomStressTest(c.deps, c.principal, { portfolioId: await portfolioOf(c, i.portfolio_id), shocks: i.shocks, name: i.name ?? null }),
    summary: (o) => `${o.name} as of ${o.as_of}: ${usd(o.total_pnl)} (${o.pct_nav == null ? 'n/a' : o.pct_nav.toFixed(2)}% of NAV)${o.matches_catalogue ? `, same shocks as catalogue scenario ${o.matches_catalogue}` : ''}.`,
  });

  defineTool(server, ctx, {
    name: 'simulate_trade', title: 'Simulate trades', annotations: COMPUTE_ONLY, meta: appViewMeta('what-if'),
    description: 'What-if: add, remove or resize positions (filled at the as-of close, paid from cash) and compare exposures, Greeks, factor betas, 1-day VaR and stress P&L before and after. Nothing is stored.',
    input: z.object({ portfolio_id: portfolioIdInput, trades: z.array(TradeSchema).min(1).max(20).describe('applied in order, netted per position') }),
    output: SimulateTradeOutputSchema,
    hints: { NOT_FOUND: 'call list_user_portfolios for portfolio ids; name a held position by position_id (get_positions_details) or symbol, or use action add for a new symbol' },
    run: async (i, c) => simulateTrade(c.deps, c.principal, { portfolioId: await portfolioOf(c, i.portfolio_id), trades: i.trades }),
    summary: (o) =>
      `As of ${o.as_of}: gross ${usd(o.before.gross_exposure)} → ${usd(o.after.gross_exposure)}, net ${usd(o.before.net_exposure)} → ${usd(o.after.net_exposure)}, ` +
      `VaR 99% 1d ${usd(o.before.var.var_99_1d)} → ${usd(o.after.var.var_99_1d)}, Market beta change ${o.change.market_beta == null ? 'n/a' : o.change.market_beta.toFixed(3)}.`,
  });
}
