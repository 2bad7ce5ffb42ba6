/** Who the stdio server acts for: SIGMASIGHT_TOKEN (a login session) wins over SIGMASIGHT_USER. */
import type { Db } from '../db/client.ts';
import type { Env } from '../core/env.ts';
import { AppError } from '../core/errors.ts';
import type { Principal } from '../core/services/context.ts';
import { principalForEmail } from '../core/services/local-principal.ts';

export async function resolveStdioPrincipal(db: Db, env: Pick<Env, 'SIGMASIGHT_USER' | 'SIGMASIGHT_TOKEN'>): Promise<Principal> {
  if (env.SIGMASIGHT_USER) return principalForEmail(db, env.SIGMASIGHT_USER);
  throw new AppError('UNAUTHENTICATED', 'SIGMASIGHT_USER: set it to the email of the SigmaSight user the MCP server acts for (e.g. demo_individual@sigmasight.com), or set SIGMASIGHT_TOKEN to a session token');
}
