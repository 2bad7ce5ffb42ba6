/**
 * The Hono composition root: request id and access log, security headers, CORS allow-list,
 * authentication and rate limits, one error handler that speaks problem+json, the routers,
 * `/openapi.json` and `/docs`. `createApp(deps)` builds an app over any database handle, so tests
 * drive the real app through `app.request()`.
 */
import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { createAuthSessions } from '../core/auth/sessions.ts';
import { createRecompute } from '../core/batch/recompute.ts';
import { createInlineRunner } from '../core/batch/runner.ts';
import { batchDepsFromEnv } from '../core/batch/runtime.ts';
import type { BatchServiceDeps } from '../core/batch/service.ts';
import { AppError } from '../core/errors.ts';
import { lazyChild } from '../core/logger.ts';
import type { AppBindings, AppDeps } from './context.ts';
import { requireAuth } from './middleware/auth.ts';
import { corsAllowList } from './middleware/cors.ts';
import { hostAllowList } from './middleware/host-allow-list.ts';
import { microcache } from './middleware/microcache.ts';
import { createRateLimits } from './middleware/rate-limit.ts';
import { problemResponse } from './problem.ts';
import { SECURITY_HEADERS } from './security-headers.ts';
import { createRouter } from './router.ts';
import { adminRouter } from './routes/admin/admin.index.ts';
import { agentRouter } from './routes/agent/agent.index.ts';
import { analyticsRouter } from './routes/analytics/analytics.index.ts';
import { authRouter } from './routes/auth/auth.index.ts';
import { chatRouter } from './routes/chat/chat.index.ts';
import { requireBookOwner } from './middleware/book-owner.ts';
import { portfoliosRouter } from './routes/portfolios/portfolios.index.ts';
import { dataRouter } from './routes/data/data.index.ts';
import { docsRouter } from './routes/docs/docs.index.ts';
import { healthRouter } from './routes/health/health.index.ts';
import { marketRouter } from './routes/market/market.index.ts';
import { mcpRouter } from './routes/mcp/mcp.index.ts';
import { requireMcpAuth } from './middleware/mcp-auth.ts';
import { createOAuthHandle, oauthRouter } from './oauth/mount.ts';
import type { OAuthHandle } from './oauth/handle.ts';
import type { LoginThrottle } from '../core/auth/login-throttle.ts';
import { requireUtf8Url } from './middleware/url-encoding.ts';
import { webRouter } from './routes/web/web.index.ts';

const AUTHENTICATED = [
  '/api/v1/data/*', '/api/v1/portfolios', '/api/v1/portfolios/*', '/api/v1/analytics/*', '/api/v1/admin/*', '/api/v1/auth/me', '/api/v1/auth/refresh',
  '/api/v1/auth/connections', '/api/v1/auth/connections/*',
  '/api/v1/chat/*', '/api/v1/agent/tools', '/api/v1/agent/chat', '/api/v1/agent/chat/*', '/api/v1/agent/sessions',
];

const IMPORT_PATH = /^\/api\/v1\/portfolios\/[^/]+\/imports\/?$/;
const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

/** Batch service deps running claimed runs in this process (when the caller did not pass the runtime's). */
function inlineBatch(deps: AppDeps): BatchServiceDeps {
  const b = batchDepsFromEnv({ env: deps.env, dbh: deps.dbh, log: deps.log.child({ component: 'batch' }), ...(deps.clock ? { clock: deps.clock } : {}) });
  const svc: BatchServiceDeps = { ...b, runner: createInlineRunner(b) };
  svc.recompute = createRecompute(svc, { debounceMs: deps.env.RECOMPUTE_DEBOUNCE_MS });
  return svc;
}

/** Paths the OAuth authorization server and the resource metadata answer (their CORS is their own: open discovery, client-based for token endpoints). */
const OAUTH_PUBLIC = /^\/(\.well-known\/|oauth\/)/;

function useMiddleware(app: OpenAPIHono<AppBindings>, deps: AppDeps): { oauth: OAuthHandle; loginThrottle: LoginThrottle } {
  const auth = createAuthSessions(deps.dbh.db, { ttlHours: deps.env.SESSION_TTL_HOURS, cacheTtlMs: deps.env.AUTH_CACHE_TTL_MS });
  const limits = createRateLimits(deps.env);
  const oauth = createOAuthHandle(deps);
  const batch = deps.batch ?? inlineBatch(deps);
  // One frame around every request: request id, request-scoped logger and deps, then the request
  // id and security headers on the response (errors included) and the access line.
  app.use(async (c, next) => {
    // the client's X-Request-Id when it is a short token (the rule of hono/request-id), else a new UUID
    const presented = c.req.header('x-request-id');
    const id = presented && presented.length <= 255 && !/[^\w\-=]/.test(presented) ? presented : randomUUID();
    c.set('requestId', id);
    // the request id (and, once authenticated, the user id) on every line: the access line below
    // carries them itself, and a pino child is built only when the request logs something else
    const bindings: Record<string, unknown> = { requestId: id };
    c.set('deps', deps);
    c.set('log', lazyChild(deps.log, bindings));
    c.set('auth', auth);
    c.set('batch', batch);
    c.set('oauth', oauth);
    const t0 = performance.now();
    await next();
    const headers = c.res.headers;
    headers.set('X-Request-Id', id);
    // a page that set its own (stricter) CSP keeps it: the OAuth sign-in page
    for (const [name, value] of SECURITY_HEADERS) if (name !== 'content-security-policy' || !headers.has(name)) headers.set(name, value);
    if (deps.log.isLevelEnabled('info')) deps.log.info({ ...bindings, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - t0) }, 'request');
  });
  // DNS-rebinding protection first, then CORS (its preflight answers here, before auth)
  app.use(hostAllowList(deps.env));
  const cors = corsAllowList(deps.env.CORS_ORIGINS);
  app.use((c, next) => (OAUTH_PUBLIC.test(c.req.path) ? next() : cors(c, next)));
  app.use('/api/*', requireUtf8Url);
  const limitBody = bodyLimit({ maxSize: 64 * 1024, onError: () => { throw new AppError('VALIDATION', 'request body larger than 64 KiB'); } });
  // registered for the methods that carry a body, so a GET does not even pass through it
  // a holdings file may be larger: up to 8 MiB (10,000 rows of a broker export fit in about 2 MiB)
  const limitImport = bodyLimit({ maxSize: MAX_IMPORT_BYTES, onError: () => { throw new AppError('TOO_LARGE', `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB; split it into smaller files`); } });
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/api/*', (c, next) => (c.req.method === 'POST' && IMPORT_PATH.test(c.req.path) ? limitImport(c, next) : limitBody(c, next)));
  app.use('/api/v1/auth/login', limits.login);
  for (const path of AUTHENTICATED) app.use(path, requireAuth, limits.apiPerUser);
  app.use('/mcp', requireMcpAuth(oauth), limits.apiPerUser);
  app.use('/api/v1/portfolios/*', requireBookOwner);
  app.post('/api/v1/analytics/portfolio/*', requireBookOwner);
  app.use('/api/v1/analytics/*', microcache(deps.env.ANALYTICS_CACHE_TTL_MS));
  return { oauth, loginThrottle: limits.loginThrottle };
}

export function createApp(deps: AppDeps) {
  const app = createRouter();
  const { oauth, loginThrottle } = useMiddleware(app, deps);
  app.route('/', healthRouter);
  app.route('/', oauthRouter(oauth, loginThrottle));
  app.route('/', authRouter);
  app.route('/', dataRouter);
  app.route('/', portfoliosRouter);
  app.route('/', analyticsRouter);
  app.route('/', marketRouter);
  app.route('/', adminRouter);
  app.route('/', docsRouter);
  app.route('/', mcpRouter);
  app.route('/', chatRouter);
  app.route('/', agentRouter);
  app.route('/', webRouter());

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'session token from POST /api/v1/auth/login' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', { type: 'apiKey', in: 'cookie', name: 'auth_token' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    ...(deps.env.PUBLIC_URL ? { servers: [{ url: deps.env.PUBLIC_URL }] } : {}),
    info: { title: 'SigmaSight API', version: deps.version, description: 'Portfolio risk analytics: portfolios, positions, exposures, factor betas, Greeks, stress tests, VaR and correlations. Errors are RFC 9457 problem details.' },
  });

  app.notFound((c) => problemResponse(c, new AppError('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((err, c) => problemResponse(c, err));
  return app;
}

export type App = ReturnType<typeof createApp>;
