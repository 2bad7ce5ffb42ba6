/**
 * `createMcpServer(ctx)`: the SigmaSight MCP server for one principal. Tools are registered one
 * domain per file (see tools/index.ts), with resources (the caller's portfolios and latest
 * reports) and prompts (a daily risk briefing, explaining factor exposures).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { VERSION } from '../core/version.ts';
import type { McpContext } from './context.ts';
import { registerPrompts } from './prompts.ts';
import { registerResources } from './resources.ts';
import { limitToScopes } from './scopes.ts';
import { registerAllTools } from './tools/index.ts';

export const SERVER_NAME = 'sigmasight';

const INSTRUCTIONS = [
  'SigmaSight answers portfolio risk questions from stored nightly results and on-the-fly calculations.',
  'Start with list_user_portfolios when you do not know the portfolio id; most tools default to the caller\'s first portfolio.',
  'Figures carry their as_of date and data-quality flags (stale, proxied): mention them when they matter.',
  'run_portfolio_batch starts work that writes results; ask the user before calling it.',
].join(' ');

export function createMcpServer(ctx: McpContext): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: 'SigmaSight portfolio risk', version: VERSION },
    { capabilities: { tools: {}, resources: {}, prompts: {}, logging: {} }, instructions: INSTRUCTIONS },
  );
  if (ctx.allowedScopes) limitToScopes(server, ctx.allowedScopes);
  registerAllTools(server, ctx);
  registerResources(server, ctx);
  registerPrompts(server);
  return server;
}
