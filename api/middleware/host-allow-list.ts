/**
 * DNS-rebinding protection: a request whose `Host` names a server other than this one is refused
 * with 403 problem+json before any route runs. Allowed are the loopback names (localhost,
 * 127.0.0.1, ::1), the host of `PUBLIC_URL` and the names in `ALLOWED_HOSTS`. `/health` stays
 * open to any Host so that container and load-balancer probes (which address the server by IP)
 * keep working; it carries no user data.
 */
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../core/errors.ts';
import type { Env } from '../../core/env.ts';
import type { AppBindings } from '../context.ts';

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** The host names (no port, lower case) this server answers for. */
export function allowedHosts(env: Pick<Env, 'PUBLIC_URL' | 'ALLOWED_HOSTS'>): Set<string> {
  const hosts = new Set(LOOPBACK);
  if (env.PUBLIC_URL) hosts.add(new URL(env.PUBLIC_URL).hostname.toLowerCase());
  for (const h of env.ALLOWED_HOSTS) hosts.add(h);
  return hosts;
}

/** The host name a request was addressed to (from `Host`, which the server puts in the URL). */
function requestHost(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

export function hostAllowList(env: Pick<Env, 'PUBLIC_URL' | 'ALLOWED_HOSTS'>): MiddlewareHandler<AppBindings> {
  const hosts = allowedHosts(env);
  return async (c, next) => {
    if (c.req.path === '/health') return next();
    const host = requestHost(c.req.url);
    if (host === null || !hosts.has(host)) {
      throw new AppError('FORBIDDEN', `this server does not answer for the host ${JSON.stringify(host ?? '')}; set PUBLIC_URL (or ALLOWED_HOSTS) to the name clients use`);
    }
    await next();
  };
}
