/**
 * `/mcp`: the MCP tools over Streamable HTTP for remote clients, authenticated with the same
 * session tokens as REST (401 problem+json with `WWW-Authenticate: Bearer` otherwise, applied by
 * the app's auth middleware) and with the browser Origin checked against the CORS allow-list
 * (DNS-rebinding protection). Each request gets a server bound to the caller's principal.
 */
import { Hono } from 'hono';
import { AppError } from '../../../core/errors.ts';
import { handleMcpHttp, isAllowedOrigin } from '../../../mcp-server/http.ts';
import { serviceDeps, type AppBindings } from '../../context.ts';

export const mcpRouter = new Hono<AppBindings>().all('/mcp', async (c) => {
  if (!isAllowedOrigin(c.req.header('origin'), c.req.url, c.get('deps').env.CORS_ORIGINS)) throw new AppError('FORBIDDEN', 'Origin not allowed for /mcp');
  return handleMcpHttp(c.req.raw, { deps: serviceDeps(c), principal: c.get('principal'), channel: 'http' });
});
