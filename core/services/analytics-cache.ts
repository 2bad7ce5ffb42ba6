/**
 * Answers of the stored-results reads, reused while the rows they came from are unchanged (the
 * database confirms it on every call; see `validatedRead` in db/queries/results-cache.ts). An
 * answer is kept per read, user, portfolio, date and input, so one user's answer never reaches
 * another, and a portfolio that is not a live portfolio of the caller answers NOT_FOUND exactly
 * like `requireOwnedPortfolio`. `read` must depend only on the rows its version names, on the
 * input and on the date; its answer is shared and frozen.
 */
import { NOT_READABLE, validatedRead, versionedCache } from '../../db/queries/results-cache.ts';
import type { PreparedRead } from '../../db/queries/results-prepared.ts';
import { notFound } from '../errors.ts';
import { UUID_LIKE, type Principal, type ServiceDeps } from './context.ts';
import { today } from './positions.ts';

const answers = versionedCache<unknown>({ max: 5_000 });

/** `read()` of an owned portfolio's stored results, or its answer from memory while `version` holds. */
export async function storedAnswer<T>(deps: ServiceDeps, principal: Principal, portfolioId: string, version: PreparedRead, input: string, read: () => Promise<T>): Promise<T> {
  if (!UUID_LIKE.test(portfolioId)) throw notFound('portfolio', portfolioId);
  const upTo = today(deps);
  const key = `${version.name} ${principal.userId} ${portfolioId} ${upTo} ${input}`;
  const answer = await validatedRead(deps.db, answers, key, version, [portfolioId, principal.userId, upTo], read as () => Promise<unknown>);
  if (answer === NOT_READABLE) throw notFound('portfolio', portfolioId);
  return answer as T;
}
