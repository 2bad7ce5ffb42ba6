/**
 * Prompts a client can offer its user: a daily risk briefing, an explanation of factor
 * exposures, one stress scenario explained, and one historical window replayed. Each names the
 * tools to call, so any model follows the same path our agent does. Their arguments complete
 * (MCP `completion/complete`): portfolio ids from the caller's own portfolios, scenario ids from
 * the stress catalogue, window keys from the named replay windows.
 */
import { completable } from '@modelcontextprotocol/server';
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from '@hono/zod-openapi';
import { completePortfolioIds, completeReplayWindows, completeStressScenarios } from '../core/services/completions.ts';
import type { McpContext } from './context.ts';

function userText(text: string) {
  return { messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] };
}

const target = (id: string | undefined) => (id ? `portfolio ${id}` : 'my first portfolio (call list_user_portfolios if unsure)');

export function registerPrompts(server: McpServer, ctx: McpContext): void {
  const portfolioArg = {
    portfolio_id: completable(z.string().describe('portfolio id; the first portfolio when omitted'), (typed) => completePortfolioIds(ctx.deps, ctx.principal, typed ?? '')).optional(),
  };
  server.registerPrompt(
    'daily_risk_briefing',
    { title: 'Daily risk briefing', description: 'A short morning briefing: exposures, P&L, VaR, the worst stress scenarios and data-quality warnings.', argsSchema: z.object(portfolioArg) },
    ({ portfolio_id }) =>
      userText(
        `Give me a daily risk briefing for ${target(portfolio_id)}. Call get_analytics_overview, get_risk_metrics, ` +
          'get_stress_test_results and get_portfolio_data_quality. Report NAV, gross and net exposure, the last daily P&L, ' +
          '1-day 95% and 99% VaR, the three worst stress scenarios with their P&L, and any stale or proxied data. ' +
          'State the as-of date. Keep it under 200 words, numbers in USD with thousands separators.',
      ),
  );
  server.registerPrompt(
    'explain_factor_exposures',
    { title: 'Explain my factor exposures', description: 'What the portfolio is betting on, factor by factor, in plain words.', argsSchema: z.object(portfolioArg) },
    ({ portfolio_id }) =>
      userText(
        `Explain the factor exposures of ${target(portfolio_id)}. Call get_factor_exposures (with include_positions true) ` +
          'and get_analytics_overview. For each factor give the beta and the dollar exposure, say what a 1% move in that ' +
          'factor does to the portfolio, name the positions that drive it, and flag weak fits (low R², short history, proxies).',
      ),
  );
  server.registerPrompt(
    'explain_stress_scenario',
    {
      title: 'Explain one stress scenario',
      description: 'What one catalogue stress scenario does to the portfolio and which positions drive it.',
      argsSchema: z.object({
        ...portfolioArg,
        scenario: completable(z.string().describe('stress scenario id, e.g. market_down_10'), (typed) => completeStressScenarios(ctx.deps, typed ?? '')),
      }),
    },
    ({ portfolio_id, scenario }) =>
      userText(
        `Explain the stress scenario ${scenario} for ${target(portfolio_id)}. Call get_stress_test_results with scenarios ` +
          `["${scenario}"] and get_factor_exposures. Give the direct and correlated P&L in USD and % of NAV, the factor shocks ` +
          'behind it, and the factor exposures that make the portfolio gain or lose. Say that catalogue scenarios are hypothetical factor shocks.',
      ),
  );
  server.registerPrompt(
    'explain_historical_replay',
    {
      title: 'Replay a market window',
      description: "Today's holdings through one real market window: total P&L, worst day, the positions that hurt most.",
      argsSchema: z.object({
        ...portfolioArg,
        window: completable(z.string().describe('replay window key, e.g. covid_crash'), (typed) => completeReplayWindows(typed ?? '')),
      }),
    },
    ({ portfolio_id, window }) =>
      userText(
        `Replay the market window ${window} on today's holdings of ${target(portfolio_id)}. Call get_historical_replays and ` +
          `report the ${window} window: its dates, total P&L in USD and %, the worst day, peak-to-trough and the five positions ` +
          'that lost most. Note any symbol whose history was proxied or missing.',
      ),
  );
}
