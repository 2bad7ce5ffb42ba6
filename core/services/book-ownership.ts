/**
 * Ownership before anything else: a request naming another user's portfolio, position or import
 * answers NOT_FOUND whatever its body says, so a foreign id is never told apart from an unknown one
 * by a validation error (no existence oracle), and no write starts.
 */
import type { Db } from '../../db/client.ts';
import { bookPosition, ownedImport } from '../../db/queries/book.ts';
import { notFound } from '../errors.ts';
import { requireBookPortfolio } from './book-positions.ts';
import { UUID_LIKE, type Principal } from './context.ts';

export interface BookRef {
  portfolioId: string;
  positionId?: string | undefined;
  importId?: string | undefined;
}

/** @throws AppError NOT_FOUND for a malformed, deleted, unknown or foreign id. */
export async function requireOwnedRecords(db: Db, principal: Principal, ref: BookRef): Promise<void> {
  await requireBookPortfolio(db, principal, ref.portfolioId);
  if (ref.positionId !== undefined && (!UUID_LIKE.test(ref.positionId) || !(await bookPosition(db, ref.portfolioId, ref.positionId)))) throw notFound('position', ref.positionId);
  if (ref.importId !== undefined && (!UUID_LIKE.test(ref.importId) || !(await ownedImport(db, principal.userId, ref.portfolioId, ref.importId)))) throw notFound('import', ref.importId);
}

