/**
 * Session authentication with lucia v3 over its Drizzle adapter. The client holds a random
 * bearer token; the database stores only the SHA-256 of it as the session id, so a leaked
 * sessions table cannot be replayed. Sessions expire after `ttlHours` and lucia extends a session
 * used in the second half of its life by a full lifetime (`session.fresh`).
 */
import { hash, randomBytes } from 'node:crypto';
import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { Lucia, TimeSpan } from 'lucia';
import { LRUCache } from 'lru-cache';
import type { Db } from '../../db/client.ts';
import { sessions, users } from '../../db/schema/index.ts';
import type { Principal, Role } from '../services/context.ts';

/** User columns lucia hands back with a validated session (never the password hash). */
export interface SessionUser {
  id: string;
  email: string;
  role: Role;
  isActive: boolean;
}

export interface AuthSessions {
  /** Creates a session for `userId`; returns the bearer token (shown once) and its expiry. */
  create(userId: string, userAgent?: string | null): Promise<{ token: string; expiresAt: Date }>;
  /** Resolves a token to its principal; null when unknown, expired or the user is inactive. `refreshed` when lucia extended it. */
  validate(token: string): Promise<{ principal: Principal; expiresAt: Date; refreshed: boolean } | null>;
  /** Deletes the session of `token` (idempotent). */
  revoke(token: string): Promise<void>;
  ttlSeconds: number;
}

/** SHA-256 (hex) of a token: the session id stored in the database. */
export const sessionIdOf = (token: string): string => hash('sha256', token, 'hex');

/** 32 random bytes, base64url (43 characters). */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** Token shape accepted before any database work (rejects junk cheaply). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

interface Validated {
  principal: Principal;
  expiresAt: Date;
  /** Lucia extended the session on this lookup (a cached answer is never a refresh). */
  refreshed: boolean;
}

/**
 * `cacheTtlMs` > 0 keeps validated sessions in memory that long (at most 10,000), so a burst of
 * requests costs one session lookup; revoking on this process evicts at once, another process
 * honours a revocation within `cacheTtlMs`. Concurrent validations of one token share a single
 * lookup (when the cached entry expires under load, one query instead of one per connection); a
 * revocation while that lookup is in flight keeps its answer out of the cache.
 */
export function createAuthSessions(db: Db, opts: { ttlHours: number; cacheTtlMs?: number }): AuthSessions {
  const cache = opts.cacheTtlMs ? new LRUCache<string, Validated>({ max: 10_000, ttl: opts.cacheTtlMs }) : null;
  const adapter = new DrizzlePostgreSQLAdapter(db, sessions, users);
  const lucia = new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(opts.ttlHours, 'h'),
    getUserAttributes: (a: Record<string, unknown>) => ({ email: a['email'] as string, role: a['role'] as Role, isActive: a['isActive'] as boolean }),
  });
  const inflight = new Map<string, Promise<Validated | null>>();
  async function lookUp(id: string): Promise<Validated | null> {
    const { session, user } = await lucia.validateSession(id);
    if (!session || !user) return null;
    const u = user as unknown as SessionUser;
    if (!u.isActive) return null;
    return { principal: { userId: u.id, email: u.email, role: u.role, sessionId: session.id }, expiresAt: session.expiresAt, refreshed: session.fresh };
  }
  return {
    ttlSeconds: opts.ttlHours * 3600,
    async create(userId, userAgent) {
      const token = newToken();
      const session = await lucia.createSession(userId, { userAgent: userAgent?.slice(0, 300) ?? null } as never, { sessionId: sessionIdOf(token) });
      return { token, expiresAt: session.expiresAt };
    },
    async validate(token) {
      if (!TOKEN_SHAPE.test(token)) return null;
      const id = sessionIdOf(token);
      const hit = cache?.get(id);
      if (hit && hit.expiresAt.getTime() > Date.now()) return hit;
      const pending = inflight.get(id);
      if (pending) return pending;
      const lookup: Promise<Validated | null> = lookUp(id).then(
        (r) => {
          if (inflight.get(id) !== lookup) return r; // revoked meanwhile: answer this caller, cache nothing
          inflight.delete(id);
          if (r) cache?.set(id, { principal: r.principal, expiresAt: r.expiresAt, refreshed: false });
          return r;
        },
        (err: unknown) => {
          if (inflight.get(id) === lookup) inflight.delete(id);
          throw err;
        },
      );
      inflight.set(id, lookup);
      return lookup;
    },
    async revoke(token) {
      if (!TOKEN_SHAPE.test(token)) return;
      inflight.delete(sessionIdOf(token));
      cache?.delete(sessionIdOf(token));
      await lucia.invalidateSession(sessionIdOf(token));
    },
  };
}
