/**
 * Authentication: `Authorization: Bearer <token>` first, else the `auth_token` cookie. A present
 * but invalid bearer header does not fall back to the cookie (api.md §2.2). On success the
 * principal and token are set on the context; a session lucia extended gets a fresh cookie.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { AppError } from '../../core/errors.ts';
import type { AppBindings } from '../context.ts';
import { assertCookieRequestAllowed, cameOverHttps, clearCsrfCookie, setCsrfCookie } from './csrf.ts';

export const AUTH_COOKIE = 'auth_token';

/** The token a request presents, and where it came from. */
export function presentedToken(c: Context<AppBindings>): { token: string; from: 'bearer' | 'cookie' } | null {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return { token: m?.[1] ?? '', from: 'bearer' };
  }
  const cookie = getCookie(c, AUTH_COOKIE);
  return cookie ? { token: cookie, from: 'cookie' } : null;
}

/**
 * Sets the session cookie (HttpOnly, SameSite=Lax; Secure whenever the request came over https or
 * the deployment is public over https) and the CSRF double-submit cookie beside it.
 */
export function setAuthCookie(c: Context<AppBindings>, token: string, expiresAt: Date): void {
  setCookie(c, AUTH_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: cameOverHttps(c), path: '/', expires: expiresAt });
  setCsrfCookie(c, expiresAt);
}

export function clearAuthCookie(c: Context<AppBindings>): void {
  deleteCookie(c, AUTH_COOKIE, { path: '/' });
  clearCsrfCookie(c);
}

/** Validates the presented session token and sets the principal and token on the context; throws 401 (UNAUTHENTICATED) otherwise. */
export async function authenticateSession(c: Context<AppBindings>, presented = presentedToken(c)): Promise<void> {
  if (!presented) throw new AppError('UNAUTHENTICATED', 'Not authenticated: send Authorization: Bearer <token> or the auth_token cookie');
  if (presented.from === 'cookie') assertCookieRequestAllowed(c);
  const session = await c.get('auth').validate(presented.token);
  if (!session) throw new AppError('UNAUTHENTICATED', 'Could not validate credentials');
  c.set('principal', session.principal);
  c.set('token', presented.token);
  c.get('log').setBindings({ userId: session.principal.userId });
  if (session.refreshed && presented.from === 'cookie') setAuthCookie(c, presented.token, session.expiresAt);
}

/** Rejects the request with 401 problem+json (and `WWW-Authenticate: Bearer`) unless a valid session token is presented. */
export const requireAuth: MiddlewareHandler<AppBindings> = async (c, next) => {
  await authenticateSession(c);
  await next();
};
