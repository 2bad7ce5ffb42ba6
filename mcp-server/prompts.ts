/**
 * Prompts a client can offer its user: a daily risk briefing and an explanation of factor
 * exposures. Each names the tools to call, so any model follows the same path our agent does.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from '@hono/zod-openapi';

const portfolioArg = { portfolio_id: z.string().optional().describe('portfolio id; the first portfolio when omitted') };

function userText(text: string) {
  return { messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] };
}

const target = (id: string | undefined) => (id ? `portfolio ${id}` : 'my first portfolio (call list_user_portfolios if unsure)');

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'daily_risk_briefing',
    { title: 'Daily risk briefing', description: 'A short morning briefing: exposures, P&L, VaR, the worst stress scenarios and data-quality warnings.', argsSchema: portfolioArg },
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
    { title: 'Explain my factor exposures', description: 'What the portfolio is betting on, factor by factor, in plain words.', argsSchema: portfolioArg },
    ({ portfolio_id }) =>
      userText(
        `Explain the factor exposures of ${target(portfolio_id)}. Call get_factor_exposures (with include_positions true) ` +
          'and get_analytics_overview. For each factor give the beta and the dollar exposure, say what a 1% move in that ' +
          'factor does to the portfolio, name the positions that drive it, and flag weak fits (low R², short history, proxies).',
      ),
  );
}
