/** Wires every tool domain into a server; one file per domain. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpContext } from '../context.ts';
import { registerPortfolioTools } from './portfolios.ts';

export function registerAllTools(server: McpServer, ctx: McpContext): void {
  registerPortfolioTools(server, ctx);
}
