/**
 * CORS for browser front ends on other origins, with hono's `cors()`: only origins in
 * `CORS_ORIGINS` (exact matches) get CORS headers, credentials included. Any other origin gets no
 * CORS header at all (not even `Access-Control-Allow-Credentials`), and its preflight answers 403
 * problem+json, so the browser refuses the call. Requests without `Origin` (non-browser clients)
 * pass untouched.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { AppError } from '../../core/errors.ts';
import type { AppBindings } from '../context.ts';

export const CSRF_HEADER = 'X-CSRF-Token';

export function corsAllowList(origins: readonly string[]): MiddlewareHandler<AppBindings> {
  const allowed = new Set(origins);
  const allow = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    credentials: true,
    allowHeaders: ['Authorization', 'Content-Type', 'Accept', 'Cache-Control', 'Last-Event-ID', 'X-Request-Id', CSRF_HEADER, 'Mcp-Protocol-Version', 'Mcp-Session-Id'],
    exposeHeaders: ['X-Request-Id', 'Retry-After', 'WWW-Authenticate', 'Mcp-Session-Id'],
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined) return next();
    // the answer depends on Origin: shared caches must keep one copy per origin
    c.header('Vary', 'Origin', { append: true });
    if (allowed.has(origin)) return allow(c, next);
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      throw new AppError('FORBIDDEN', `the origin ${origin} may not call this API; add it to CORS_ORIGINS`);
    }
    return next();
  };
}
