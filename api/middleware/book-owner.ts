/**
 * `/api/v1/portfolios/{portfolio_id}/…`: the portfolio (and the position or import the path
 * names) must be the caller's before the request body is even validated, so another user's ids
 * answer 404 problem+json on every route of the book, whatever the body.
 */
import type { MiddlewareHandler } from 'hono';
import { requireOwnedRecords } from '../../core/services/book-ownership.ts';
import { UUID_LIKE } from '../../core/services/context.ts';
import type { AppBindings } from '../context.ts';

export const requireBookOwner: MiddlewareHandler<AppBindings> = async (c, next) => {
  // ['', 'api', 'v1', 'portfolios', portfolio_id, 'positions' | 'imports' | 'audit', id, …]
  const [, , , , portfolioId, kind, id] = c.req.path.split('/');
  // a malformed id names nobody's record: the route's validation answers it (422)
  const wellFormed = (x: string | undefined): x is string => !!x && UUID_LIKE.test(x);
  if (wellFormed(portfolioId)) {
    await requireOwnedRecords(c.get('deps').dbh.db, c.get('principal'), {
      portfolioId,
      positionId: kind === 'positions' && wellFormed(id) ? id : undefined,
      importId: kind === 'imports' && wellFormed(id) ? id : undefined,
    });
  }
  await next();
};
