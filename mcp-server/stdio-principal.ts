/**
 * Who the stdio server acts for: SIGMASIGHT_TOKEN (a session token from POST /api/v1/auth/login,
 * validated like a REST bearer token) wins over SIGMASIGHT_USER (local mode: a user's email).
 */
import type { Db } from '../db/client.ts';
import { createAuthSessions } from '../core/auth/sessions.ts';
import type { Env } from '../core/env.ts';
import { AppError } from '../core/errors.ts';
import type { Principal } from '../core/services/context.ts';
import { principalForEmail } from '../core/services/local-principal.ts';

export async function resolveStdioPrincipal(db: Db, env: Pick<Env, 'SIGMASIGHT_USER' | 'SIGMASIGHT_TOKEN' | 'SESSION_TTL_HOURS'>): Promise<Principal> {
  if (env.SIGMASIGHT_TOKEN) {
    const session = await createAuthSessions(db, { ttlHours: env.SESSION_TTL_HOURS }).validate(env.SIGMASIGHT_TOKEN);
    if (!session) throw new AppError('UNAUTHENTICATED', 'SIGMASIGHT_TOKEN: the session token is unknown, expired or revoked; log in again (POST /api/v1/auth/login) or set SIGMASIGHT_USER instead');
    return session.principal;
  }
  if (env.SIGMASIGHT_USER) return principalForEmail(db, env.SIGMASIGHT_USER);
  throw new AppError('UNAUTHENTICATED', 'SIGMASIGHT_USER: set it to the email of the SigmaSight user the MCP server acts for (e.g. demo_individual@sigmasight.com), or set SIGMASIGHT_TOKEN to a session token');
}
