/**
 * Login, refresh and the current user. A wrong password and an unknown email take the same
 * path: the password is always verified against an argon2id hash (a dummy one for unknown
 * emails), and both answer the same UNAUTHENTICATED message.
 */
import type { Db } from '../../db/client.ts';
import { findUserByEmail, getUserProfile, type UserCredentials } from '../../db/queries/users.ts';
import type { LoginInput, LoginOutput, UserProfile } from '../contracts/auth.ts';
import { AppError } from '../errors.ts';
import type { Principal } from '../services/context.ts';
import { getDummyHash, verifyPassword } from './password.ts';
import type { AuthSessions } from './sessions.ts';

export const BAD_CREDENTIALS = 'Incorrect email or password';

/** The profile of `userId` in the API's shape; UNAUTHENTICATED when the user is gone. */
export async function getProfile(db: Db, userId: string): Promise<UserProfile> {
  const u = await getUserProfile(db, userId);
  if (!u) throw new AppError('UNAUTHENTICATED', 'Could not validate credentials');
  return { id: u.id, email: u.email, full_name: u.fullName, role: u.role, is_active: u.isActive, created_at: u.createdAt.toISOString(), portfolio_id: u.portfolioId };
}

async function issue(db: Db, auth: AuthSessions, userId: string, userAgent: string | null): Promise<LoginOutput> {
  const { token, expiresAt } = await auth.create(userId, userAgent);
  const user = await getProfile(db, userId);
  return { access_token: token, token_type: 'bearer', expires_in: auth.ttlSeconds, expires_at: expiresAt.toISOString(), portfolio_id: user.portfolio_id, user };
}

/** The active user these credentials belong to; UNAUTHENTICATED otherwise (the REST login and the OAuth sign-in page share it). */
export async function verifyCredentials(db: Db, email: string, password: string): Promise<UserCredentials> {
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), password);
  if (!user || !ok) throw new AppError('UNAUTHENTICATED', BAD_CREDENTIALS);
  if (!user.isActive) throw new AppError('UNAUTHENTICATED', 'Inactive user account');
  return user;
}

/** Verifies credentials and opens a session. */
export async function login(db: Db, auth: AuthSessions, input: LoginInput & { userAgent?: string | null }): Promise<LoginOutput> {
  const user = await verifyCredentials(db, input.email, input.password);
  return issue(db, auth, user.id, input.userAgent ?? null);
}

/** Rotates the caller's session: a new token is issued and the presented one revoked. */
export async function refresh(db: Db, auth: AuthSessions, principal: Principal, oldToken: string, userAgent: string | null): Promise<LoginOutput> {
  const out = await issue(db, auth, principal.userId, userAgent);
  await auth.revoke(oldToken);
  return out;
}
