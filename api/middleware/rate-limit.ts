/**
 * Rate limits, in memory, one set per app: login throttling per (email, client IP) pair and per
 * client IP (core/auth/login-throttle.ts), and authenticated API calls per user per minute with
 * hono-rate-limiter (api.md §14). Over a limit answers 429 problem+json with `Retry-After` and
 * `retry_after` (seconds).
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import { createLoginThrottle, type LoginThrottle } from '../../core/auth/login-throttle.ts';
import { AppError } from '../../core/errors.ts';
import type { AppBindings } from '../context.ts';

/**
 * Client IP: the socket address, or, when TRUST_PROXY is on, the last X-Forwarded-For hop (the
 * address our proxy appended; earlier hops come from the client and could be anything).
 */
export function clientIp(c: Context<AppBindings>): string {
  if (c.get('deps').env.TRUST_PROXY) {
    const fwd = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
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

/** The email of a login body, or null when the body has none (the route then answers 422). */
async function loginEmail(c: Context<AppBindings>): Promise<string | null> {
  const body = (await c.req.json().catch(() => null)) as { email?: unknown } | null;
  return typeof body?.email === 'string' ? body.email : null;
}

/** Refuses throttled attempts before any password check, and counts each login's outcome. */
function loginLimit(throttle: LoginThrottle): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const attempt = { email: await loginEmail(c), ip: clientIp(c) };
    await throttle.check(attempt);
    await next();
    if (c.res.status === 401) await throttle.failed(attempt);
    else if (c.res.status === 200) await throttle.succeeded(attempt);
  };
}

export interface RateLimits {
  login: MiddlewareHandler<AppBindings>;
  /** The login throttle itself: the OAuth sign-in page counts its attempts in the same budget. */
  loginThrottle: LoginThrottle;
  apiPerUser: MiddlewareHandler<AppBindings>;
}

export function createRateLimits(env: { RATE_LIMIT_LOGIN_PER_IP: number; RATE_LIMIT_LOGIN_PER_EMAIL: number; RATE_LIMIT_LOGIN_MAX_DELAY_S: number; RATE_LIMIT_API_PER_MIN: number }): RateLimits {
  const throttle = createLoginThrottle({ failuresPerIp: env.RATE_LIMIT_LOGIN_PER_IP, failuresPerPair: env.RATE_LIMIT_LOGIN_PER_EMAIL, maxDelaySeconds: env.RATE_LIMIT_LOGIN_MAX_DELAY_S });
  return {
    login: loginLimit(throttle),
    loginThrottle: throttle,
    apiPerUser: rateLimiter<AppBindings>({ windowMs: 60_000, standardHeaders: 'draft-7', limit: env.RATE_LIMIT_API_PER_MIN, keyGenerator: (c) => `user:${c.get('principal').userId}`, handler: (c) => limited(c, 'requests') }),
  };
}
