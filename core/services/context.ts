/**
 * What every use case receives. Services are `async fn(deps, principal, input)`: `deps` carries
 * the database, a logger and a clock (tests pin the clock); `principal` is the authenticated
 * user. Every service that touches a portfolio goes through `requireOwnedPortfolio`, so another
 * user's id answers NOT_FOUND at every door (REST, MCP, CLI, agent).
 */
import { and, eq, isNull } from 'drizzle-orm';
import { abortableDb } from '../../db/abortable.ts';
import type { Db } from '../../db/client.ts';
import { portfolios } from '../../db/schema/index.ts';
import { notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';

export interface ServiceDeps {
  db: Db;
  log: Logger;
  /** Current time; injectable so tests and batch runs are reproducible. */
  clock: () => Date;
}

/** The same deps whose database starts no statement once `signal` fired (a cancelled call stops at its next query). */
export function cancellableDeps(deps: ServiceDeps, signal: AbortSignal): ServiceDeps {
  return { ...deps, db: abortableDb(deps.db, signal) };
}

export type Role = 'user' | 'admin';

/** The authenticated caller. `sessionId` is absent for local (stdio/CLI) principals. */
export interface Principal {
  userId: string;
  email: string;
  role: Role;
  sessionId?: string;
}

export interface OwnedPortfolio {
  id: string;
  userId: string;
  name: string;
  currency: string;
  openingEquity: number;
  /** The symbol its performance is measured against (null: SPY). */
  benchmarkSymbol: string | null;
}

/** Loose 8-4-4-4-12 hex check: the demo ids are md5-derived, not RFC 4122 v4. */
export const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Loads a live portfolio owned by `principal`; a malformed id, a deleted portfolio and another
 * user's portfolio all answer NOT_FOUND with the same message (no existence oracle).
 */
export async function requireOwnedPortfolio(db: Db, principal: Principal, portfolioId: string): Promise<OwnedPortfolio> {
  if (!UUID_LIKE.test(portfolioId)) throw notFound('portfolio', portfolioId);
  const [row] = await db
    .select({ id: portfolios.id, userId: portfolios.userId, name: portfolios.name, currency: portfolios.currency, openingEquity: portfolios.openingEquity, benchmarkSymbol: portfolios.benchmarkSymbol })
    .from(portfolios)
    .where(and(eq(portfolios.id, portfolioId), eq(portfolios.userId, principal.userId), isNull(portfolios.deletedAt)))
    .limit(1);
  if (!row) throw notFound('portfolio', portfolioId);
  return row;
}

export const systemClock = (): Date => new Date();
