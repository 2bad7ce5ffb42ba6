/** Wires every tool domain into a server; one file per domain. */
import type { McpServer } from '@modelcontextprotocol/server';
import type { McpContext } from '../context.ts';
import { registerAnalyticsTools } from './analytics.ts';
import { registerBatchTools } from './batch.ts';
import { registerBookTools } from './book.ts';
import { registerMarketDataTools } from './market-data.ts';
import { registerPortfolioTools } from './portfolios.ts';
import { registerRiskAnalysisTools } from './risk-analyses.ts';
import { registerRiskTools } from './risk.ts';
import { registerWhatIfTools } from './what-if.ts';

export function registerAllTools(server: McpServer, ctx: McpContext): void {
  registerPortfolioTools(server, ctx);
  registerBookTools(server, ctx);
  registerMarketDataTools(server, ctx);
  registerAnalyticsTools(server, ctx);
  registerRiskTools(server, ctx);
  registerRiskAnalysisTools(server, ctx);
  registerBatchTools(server, ctx);
  registerWhatIfTools(server, ctx);
}
