/**
 * Who the stdio server acts for: SIGMASIGHT_TOKEN (a session token from POST /api/v1/auth/login,
 * validated like a REST bearer token) wins over SIGMASIGHT_USER (local mode: a user's email).
 * The same choice holds when `npm run mcp` bridges to a running server: the token is sent as is,
 * or the server issues a session for the email (mcp-server/local-link.ts).
 */
import { createAuthSessions } from '../core/auth/sessions.ts';
import type { Env } from '../core/env.ts';
import { AppError } from '../core/errors.ts';
import type { Principal, ServiceDeps } from '../core/services/context.ts';
import { principalForEmail } from '../core/services/local-principal.ts';

export type StdioIdentity = { token: string } | { email: string };

export const TOKEN_REFUSED = 'SIGMASIGHT_TOKEN: the session token is unknown, expired or revoked; log in again (POST /api/v1/auth/login) or set SIGMASIGHT_USER instead';

/** The configured identity, before any database work. @throws AppError UNAUTHENTICATED when neither is set */
export function stdioIdentity(env: Pick<Env, 'SIGMASIGHT_USER' | 'SIGMASIGHT_TOKEN'>): StdioIdentity {
  if (env.SIGMASIGHT_TOKEN) return { token: env.SIGMASIGHT_TOKEN };
  if (env.SIGMASIGHT_USER) return { email: env.SIGMASIGHT_USER };
  throw new AppError('UNAUTHENTICATED', 'SIGMASIGHT_USER: set it to the email of the SigmaSight user the MCP server acts for (e.g. demo_individual@sigmasight.com), or set SIGMASIGHT_TOKEN to a session token');
}

export async function resolveStdioPrincipal(db: ServiceDeps['db'], env: Pick<Env, 'SIGMASIGHT_USER' | 'SIGMASIGHT_TOKEN' | 'SESSION_TTL_HOURS'>): Promise<Principal> {
  const identity = stdioIdentity(env);
  if ('email' in identity) return principalForEmail(db, identity.email);
  const session = await createAuthSessions(db, { ttlHours: env.SESSION_TTL_HOURS }).validate(identity.token);
  if (!session) throw new AppError('UNAUTHENTICATED', TOKEN_REFUSED);
  return session.principal;
}
