/**
 * The principal of a local door (the MCP stdio server, CLI commands): the user named by email.
 * An unknown or inactive user is refused with a message that says which setting to fix.
 */
import { findUserByEmail } from '../../db/queries/users.ts';
import type { Db } from '../../db/client.ts';
import { AppError } from '../errors.ts';
import type { Principal } from './context.ts';

export async function principalForEmail(db: Db, email: string, setting = 'SIGMASIGHT_USER'): Promise<Principal> {
  const user = await findUserByEmail(db, email);
  if (!user?.isActive) throw new AppError('UNAUTHENTICATED', `${setting}: no active SigmaSight user has the email ${email}`);
  return { userId: user.id, email: user.email, role: user.role };
}
