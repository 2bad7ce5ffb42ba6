/**
 * `POST /mcp`: the MCP tools over Streamable HTTP for remote clients, an OAuth 2.1 protected
 * resource (api/middleware/mcp-auth.ts authenticates: OAuth access tokens for this resource, or
 * SigmaSight session tokens) with the browser `Origin` checked against the CORS allow-list
 * (DNS-rebinding protection). An OAuth token's scopes limit the tools listed and callable; a call
 * beyond them answers 403 `insufficient_scope` with this resource's metadata URL (step-up). The
 * server is stateless: every request borrows a built server for the caller from the pool.
 */
import { Hono } from 'hono';
import { AppError } from '../../../core/errors.ts';
import { handleMcpHttp, isAllowedOrigin } from '../../../mcp-server/http.ts';
import { serviceDeps, type AppBindings } from '../../context.ts';

export const mcpRouter = new Hono<AppBindings>();

mcpRouter.all('/mcp', async (c) => {
  const deps = c.get('deps');
  if (!isAllowedOrigin(c.req.header('origin'), c.req.url, deps.env.CORS_ORIGINS)) throw new AppError('FORBIDDEN', 'this Origin may not call /mcp; add it to CORS_ORIGINS');
  const scopes = c.get('oauthScopes');
  const res = await handleMcpHttp(c.req.raw, { deps: serviceDeps(c), principal: c.get('principal'), channel: 'http', batch: c.get('batch'), ...(scopes ? { allowedScopes: scopes } : {}) }, deps.mcpServer);
  const challenge = res.status === 403 ? res.headers.get('www-authenticate') : null;
  if (challenge?.startsWith('Bearer error="insufficient_scope"')) res.headers.set('www-authenticate', `${challenge}, resource_metadata="${c.get('oauth').urls.resourceMetadata}"`);
  return res;
});
