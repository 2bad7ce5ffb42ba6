/**
 * `POST /mcp`: the MCP tools over Streamable HTTP for remote clients, authenticated with the same
 * bearer tokens (or cookie) as REST — 401 with `WWW-Authenticate: Bearer` otherwise — and with
 * the browser `Origin` checked against the CORS allow-list (DNS-rebinding protection). The
 * server is stateless: every request gets a fresh MCP server for the caller.
 */
import { Hono } from 'hono';
import { AppError } from '../../../core/errors.ts';
import { handleMcpHttp, isAllowedOrigin } from '../../../mcp-server/http.ts';
import { serviceDeps, type AppBindings } from '../../context.ts';

export const mcpRouter = new Hono<AppBindings>();

mcpRouter.all('/mcp', async (c) => {
  const deps = c.get('deps');
  if (!isAllowedOrigin(c.req.header('origin'), c.req.url, deps.env.CORS_ORIGINS)) throw new AppError('FORBIDDEN', 'this Origin may not call /mcp; add it to CORS_ORIGINS');
  return handleMcpHttp(c.req.raw, { deps: serviceDeps(c), principal: c.get('principal'), channel: 'http', batch: c.get('batch') });
});
