/** User reads and writes for authentication and user administration. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { portfolios, users } from '../schema/index.ts';

export interface UserCredentials {
  id: string;
  email: string;
  passwordHash: string;
  role: 'user' | 'admin';
  isActive: boolean;
}

/** The user with this email (compared case-insensitively: emails are stored lower-case). */
export async function findUserByEmail(db: Db, email: string): Promise<UserCredentials | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email, passwordHash: users.passwordHash, role: users.role, isActive: users.isActive })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()))
    .limit(1);
  return row ?? null;
}

export interface UserProfileRow {
  id: string;
  email: string;
  fullName: string;
  role: 'user' | 'admin';
  isActive: boolean;
  createdAt: Date;
  portfolioId: string | null;
}

/** A user with their first live portfolio (oldest, then lowest id: deterministic). */
export async function getUserProfile(db: Db, userId: string): Promise<UserProfileRow | null> {
  const [user] = await db
    .select({ id: users.id, email: users.email, fullName: users.fullName, role: users.role, isActive: users.isActive, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) return null;
  const [first] = await db
    .select({ id: portfolios.id })
    .from(portfolios)
    .where(and(eq(portfolios.userId, userId), isNull(portfolios.deletedAt)))
    .orderBy(asc(portfolios.createdAt), asc(portfolios.id))
    .limit(1);
  return { ...user, portfolioId: first?.id ?? null };
}

export interface NewUser {
  email: string;
  fullName: string;
  passwordHash: string;
  role: 'user' | 'admin';
}

/** Inserts a user (email lower-cased); a duplicate email raises Postgres 23505. */
export async function insertUser(db: Db, user: NewUser): Promise<{ id: string }> {
  const [row] = await db
    .insert(users)
    .values({ ...user, email: user.email.trim().toLowerCase() })
    .returning({ id: users.id });
  return row!;
}

/** Inserts an empty portfolio for a new user. */
export async function insertPortfolio(db: Db, p: { userId: string; name: string; openingEquity: number }): Promise<{ id: string }> {
  const [row] = await db.insert(portfolios).values(p).returning({ id: portfolios.id });
  return row!;
}
