import type { RouteHandler } from '@hono/zod-openapi';
import { getProfile, login, refresh } from '../../../core/auth/login.ts';
import type { AppBindings } from '../../context.ts';
import { clearAuthCookie, presentedToken, setAuthCookie } from '../../middleware/auth.ts';
import type { loginRoute, logoutRoute, meRoute, refreshRoute } from './auth.routes.ts';

export const loginHandler: RouteHandler<typeof loginRoute, AppBindings> = async (c) => {
  const out = await login(c.get('deps').dbh.db, c.get('auth'), { ...c.req.valid('json'), userAgent: c.req.header('user-agent') ?? null });
  setAuthCookie(c, out.access_token, new Date(out.expires_at));
  c.get('log').info({ userId: out.user.id }, 'login');
  return c.json(out, 200);
};

export const meHandler: RouteHandler<typeof meRoute, AppBindings> = async (c) => c.json(await getProfile(c.get('deps').dbh.db, c.get('principal').userId), 200);

export const refreshHandler: RouteHandler<typeof refreshRoute, AppBindings> = async (c) => {
  const out = await refresh(c.get('deps').dbh.db, c.get('auth'), c.get('principal'), c.get('token'), c.req.header('user-agent') ?? null);
  setAuthCookie(c, out.access_token, new Date(out.expires_at));
  return c.json(out, 200);
};

export const logoutHandler: RouteHandler<typeof logoutRoute, AppBindings> = async (c) => {
  const presented = presentedToken(c);
  if (presented?.token) await c.get('auth').revoke(presented.token);
  clearAuthCookie(c);
  return c.json({ message: 'Successfully logged out', success: true }, 200);
};
