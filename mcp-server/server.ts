/**
 * `createMcpServer(ctx)`: the SigmaSight MCP server for one principal. Tools are registered one
 * domain per file (see tools/index.ts), with resources (the caller's portfolios and latest
 * reports) and prompts (a daily risk briefing, factor exposures, a stress scenario, a replay),
 * whose arguments complete (`completion/complete`). Server info and every tool carry the
 * SigmaSight icon; the tool list is built once per server (the catalogue does not change after
 * registration, and servers are reused across requests, see http.ts). The calculation batch runs
 * as an MCP task for clients that ask for one (tasks.ts).
 */
import { McpServer, ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { ListToolsResult } from '@modelcontextprotocol/server';
import { VERSION } from '../core/version.ts';
import type { McpContext } from './context.ts';
import { ICONS } from './icon.ts';
import { registerPrompts } from './prompts.ts';
import { registerResources } from './resources.ts';
import { registerAppViews } from './app-views.ts';
import { limitToScopes } from './scopes.ts';
import { registerTasks } from './tasks.ts';
import { batchRunTasks } from './tools/batch.ts';
import { registerAllTools } from './tools/index.ts';

export const SERVER_NAME = 'sigmasight';

const INSTRUCTIONS = [
  'SigmaSight answers portfolio risk questions from stored nightly results and on-the-fly calculations.',
  'Start with list_user_portfolios when you do not know the portfolio id; most tools default to the caller\'s first portfolio.',
  'Figures carry their as_of date and data-quality flags (stale, proxied): mention them when they matter.',
  'run_portfolio_batch starts work that writes results; ask the user before calling it.',
].join(' ');

type Handler = (request: unknown, extra: unknown) => Promise<unknown>;

/** The SDK's request handler table (the SDK offers no way to decorate a handler it installed). */
const handlersOf = (server: McpServer) => (server.server as unknown as { _requestHandlers: Map<string, Handler> })._requestHandlers;

/** Replaces `method`'s handler by one that answers `answer(err)` when it fails with a "… not found" invalid-params error matching `pattern`. */
function answerNotFound(handlers: Map<string, Handler>, method: string, pattern: RegExp, answer: (err: ProtocolError) => unknown): void {
  const inner = handlers.get(method);
  if (!inner) return;
  handlers.set(method, async (request, extra) => {
    try {
      return await inner(request, extra);
    } catch (err) {
      if (err instanceof ProtocolError && err.code === ProtocolErrorCode.InvalidParams && pattern.test(err.message)) return answer(err);
      throw err;
    }
  });
}

/**
 * tools/list: the JSON Schemas converted from zod once instead of on every list. tools/call of a
 * tool this server does not have answers an isError result naming the way out (a model reads it
 * and lists the tools) instead of a protocol error. completion/complete: a reference to a prompt
 * or template this server does not have completes to nothing (the completion utility allows
 * empty answers) instead of an error.
 */
function decorateHandlers(server: McpServer): void {
  const handlers = handlersOf(server);
  const list = handlers.get('tools/list');
  if (list) {
    let cached: Promise<ListToolsResult> | null = null;
    handlers.set('tools/list', (request, extra) => {
      cached ??= list(request, extra) as Promise<ListToolsResult>;
      cached.catch(() => (cached = null));
      return cached;
    });
  }
  answerNotFound(handlers, 'tools/call', /^Tool .* not found$/, (err) => ({
    isError: true,
    content: [{ type: 'text', text: `NOT_FOUND: ${err.message}. Hint: call tools/list for the tools this server offers.` }],
  }));
  answerNotFound(handlers, 'completion/complete', / not found$/, () => ({ completion: { values: [], total: 0, hasMore: false } }));
}

export function createMcpServer(ctx: McpContext): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: 'SigmaSight portfolio risk', version: VERSION, icons: ICONS },
    { capabilities: { tools: {}, resources: {}, prompts: {}, logging: {}, completions: {} }, instructions: INSTRUCTIONS },
  );
  if (ctx.allowedScopes) limitToScopes(server, ctx.allowedScopes);
  registerAllTools(server, ctx);
  registerResources(server, ctx);
  registerAppViews(server);
  registerPrompts(server, ctx);
  registerTasks(server, ctx, handlersOf(server), batchRunTasks);
  decorateHandlers(server);
  return server;
}
