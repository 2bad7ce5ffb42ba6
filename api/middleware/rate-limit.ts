/**
 * Rate limits with hono-rate-limiter (in-memory stores, one per app): login per client IP and
 * per email address (15-minute windows), and authenticated API calls per user per minute
 * (api.md §14). Over the limit answers 429 problem+json with `Retry-After`.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import { AppError } from '../../core/errors.ts';
import type { AppBindings } from '../context.ts';

const LOGIN_WINDOW_MS = 15 * 60_000;

/** Client IP: the socket address, or the first X-Forwarded-For hop when TRUST_PROXY is on. */
export function clientIp(c: Context<AppBindings>): string {
  if (c.get('deps').env.TRUST_PROXY) {
    const fwd = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (fwd) return fwd;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not served by @hono/node-server (app.request in tests)
  }
}

function limited(c: Context<AppBindings>, what: string): never {
  const info = c.get('rateLimit' as never) as { resetTime?: Date } | undefined;
  const retryAfterSeconds = info?.resetTime ? Math.max(1, Math.ceil((info.resetTime.getTime() - Date.now()) / 1000)) : 60;
  throw new AppError('RATE_LIMITED', `Too many ${what}; retry in ${retryAfterSeconds} s`, { details: { retryAfterSeconds } });
}

async function emailKey(c: Context<AppBindings>): Promise<string> {
  const body = (await c.req.json().catch(() => null)) as { email?: unknown } | null;
  return typeof body?.email === 'string' ? `email:${body.email.trim().toLowerCase().slice(0, 320)}` : 'email:(none)';
}

export interface RateLimits {
  loginPerIp: MiddlewareHandler<AppBindings>;
  loginPerEmail: MiddlewareHandler<AppBindings>;
  apiPerUser: MiddlewareHandler<AppBindings>;
}

export function createRateLimits(env: { RATE_LIMIT_LOGIN_PER_IP: number; RATE_LIMIT_LOGIN_PER_EMAIL: number; RATE_LIMIT_API_PER_MIN: number }): RateLimits {
  return {
    loginPerIp: rateLimiter<AppBindings>({ windowMs: LOGIN_WINDOW_MS, limit: env.RATE_LIMIT_LOGIN_PER_IP, keyGenerator: (c) => `ip:${clientIp(c)}`, handler: (c) => limited(c, 'login attempts from this address') }),
    loginPerEmail: rateLimiter<AppBindings>({ windowMs: LOGIN_WINDOW_MS, limit: env.RATE_LIMIT_LOGIN_PER_EMAIL, keyGenerator: emailKey, handler: (c) => limited(c, 'login attempts for this account') }),
    apiPerUser: rateLimiter<AppBindings>({ windowMs: 60_000, standardHeaders: 'draft-7', limit: env.RATE_LIMIT_API_PER_MIN, keyGenerator: (c) => `user:${c.get('principal').userId}`, handler: (c) => limited(c, 'requests') }),
  };
}
