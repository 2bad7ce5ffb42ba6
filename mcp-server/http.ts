/**
 * Streamable HTTP for remote MCP clients, stateless as the SDK recommends for horizontally scaled
 * servers: every POST gets a fresh server for the authenticated principal and a transport that
 * answers with JSON, so no session state ties a client to one process. GET (server-initiated
 * streams) and DELETE (session teardown) have no meaning without sessions and answer 405.
 * The caller (the API's /mcp route) authenticates and validates Origin before calling this.
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpContext } from './context.ts';
import { refuseBeyondScopes } from './scopes.ts';
import { createMcpServer } from './server.ts';

const methodNotAllowed = () =>
  new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this server is stateless; send JSON-RPC requests with POST' }, id: null }), {
    status: 405,
    headers: { 'content-type': 'application/json', allow: 'POST' },
  });

export async function handleMcpHttp(request: Request, ctx: McpContext, build: (ctx: McpContext) => McpServer = createMcpServer): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed();
  const server = build(ctx);
  const refused = ctx.allowedScopes ? await refuseBeyondScopes(request, server, ctx.allowedScopes) : null;
  if (refused) {
    void server.close();
    return refused;
  }
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    void transport.close();
    void server.close();
  }
}

/**
 * Origin check against DNS rebinding: requests without an Origin (non-browser clients) pass;
 * a browser Origin must be in the allow-list or be this server's own origin.
 */
export function isAllowedOrigin(origin: string | undefined, requestUrl: string, allowList: readonly string[]): boolean {
  if (!origin) return true;
  if (allowList.includes(origin)) return true;
  try {
    return new URL(origin).origin === new URL(requestUrl).origin;
  } catch {
    return false;
  }
}
