import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { users } from '../schema/index.ts';

export interface PrincipalRow {
  id: string;
  email: string;
  role: 'user' | 'admin';
}

/** The active user with this email (case-insensitive), or null. */
export async function findActiveUserByEmail(db: Db, email: string): Promise<PrincipalRow | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email, role: users.role })
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, email.trim().toLowerCase()), eq(users.isActive, true)))
    .limit(1);
  return row ?? null;
}
