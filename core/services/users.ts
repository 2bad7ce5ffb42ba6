/**
 * User administration: the one way users are created (registration is closed). Called by the
 * admin-only REST route and by `npm run create-user`.
 */
import { hashPassword } from '../auth/password.ts';
import type { CreateUserInput } from '../contracts/auth.ts';
import type { UserProfile } from '../contracts/auth.ts';
import { insertPortfolio, insertUser } from '../../db/queries/users.ts';
import { getProfile } from '../auth/login.ts';
import { AppError } from '../errors.ts';
import type { Principal, ServiceDeps } from './context.ts';

/** Creates a user (and by default an empty portfolio) in one transaction; CONFLICT when the email exists. */
export async function createUser(deps: ServiceDeps, input: CreateUserInput): Promise<UserProfile> {
  const passwordHash = await hashPassword(input.password);
  const id = await deps.db.transaction(async (tx) => {
    const user = await insertUser(tx as never, { email: input.email, fullName: input.full_name, passwordHash, role: input.role });
    if (input.create_portfolio) await insertPortfolio(tx as never, { userId: user.id, name: `${input.full_name}'s Portfolio`, openingEquity: 0 });
    return user.id;
  }).catch((err: unknown) => {
    const code = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
    if (code === '23505') throw new AppError('CONFLICT', 'Email already registered');
    throw err;
  });
  deps.log.info({ userId: id, role: input.role }, 'user created');
  return getProfile(deps.db, id);
}

/** Admin-only wrapper for the REST door: a non-admin gets FORBIDDEN. */
export async function createUserAsAdmin(deps: ServiceDeps, principal: Principal, input: CreateUserInput): Promise<UserProfile> {
  if (principal.role !== 'admin') throw new AppError('FORBIDDEN', 'admin role required');
  return createUser(deps, input);
}
