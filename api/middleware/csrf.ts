/**
 * Cross-site request protection for cookie-authenticated work. A request authenticated by the
 * `auth_token` cookie alone may change state or spend model tokens (any method but GET/HEAD/
 * OPTIONS, and the GETs in `WORK_GETS`) only with a proof that it came from a page allowed to act
 * for the user:
 *  - `Sec-Fetch-Site: same-origin` (set by the browser, not forgeable by a page), or
 *  - an `Origin` that is this server's own or one of `CORS_ORIGINS`, or
 *  - the double-submit token: header `X-CSRF-Token` equal to the `csrf_token` cookie that login
 *    sets (readable by this site's scripts only).
 * Bearer-token requests need none of this: a cross-site page cannot attach the header.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../../core/errors.ts';
import type { AppBindings } from '../context.ts';
import { CSRF_HEADER } from './cors.ts';

export const CSRF_COOKIE = 'csrf_token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** GET routes that do work (start an agent turn, which may call tools that write). */
const WORK_GETS = new Set(['/api/v1/agent/chat/stream']);

/** Whether the request reached us over https (directly, behind a trusted proxy, or by deployment). */
export function cameOverHttps(c: Context<AppBindings>): boolean {
  const env = c.get('deps').env;
  if (env.NODE_ENV === 'production' || env.PUBLIC_URL?.startsWith('https:')) return true;
  if (new URL(c.req.url).protocol === 'https:') return true;
  return env.TRUST_PROXY && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

/** Sets the double-submit token beside the session cookie. */
export function setCsrfCookie(c: Context<AppBindings>, expiresAt: Date): void {
  setCookie(c, CSRF_COOKIE, randomBytes(24).toString('base64url'), { httpOnly: false, sameSite: 'Strict', secure: cameOverHttps(c), path: '/', expires: expiresAt });
}

export function clearCsrfCookie(c: Context<AppBindings>): void {
  deleteCookie(c, CSRF_COOKIE, { path: '/' });
}

function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function ownOrAllowedOrigin(c: Context<AppBindings>, origin: string): boolean {
  if (c.get('deps').env.CORS_ORIGINS.includes(origin)) return true;
  try {
    return new URL(origin).origin === new URL(c.req.url).origin;
  } catch {
    return false;
  }
}

/** Whether a cookie-authenticated request carries a proof that it is not a cross-site forgery. */
function hasProof(c: Context<AppBindings>): boolean {
  if (c.req.header('sec-fetch-site') === 'same-origin') return true;
  const origin = c.req.header('origin');
  if (origin && origin !== 'null' && ownOrAllowedOrigin(c, origin)) return true;
  return sameToken(c.req.header(CSRF_HEADER), getCookie(c, CSRF_COOKIE));
}

/** Throws 403 problem+json when cookie-only work lacks a same-site proof. */
export function assertCookieRequestAllowed(c: Context<AppBindings>): void {
  const needsProof = !SAFE_METHODS.has(c.req.method) || WORK_GETS.has(c.req.path);
  if (!needsProof || hasProof(c)) return;
  throw new AppError('FORBIDDEN', `cross-site request refused: a request authenticated only by the cookie must come from this site (Sec-Fetch-Site: same-origin) or send ${CSRF_HEADER} equal to the ${CSRF_COOKIE} cookie; scripts should use Authorization: Bearer`);
}
