/**
 * `/api/v1/portfolios/{portfolio_id}/…` and the analytics writes under
 * `/api/v1/analytics/portfolio/{portfolio_id}/…`: the portfolio (and the position or import the
 * path names) must be the caller's before the request body is even validated, so another user's
 * ids answer 404 problem+json whatever the body.
 */
import type { MiddlewareHandler } from 'hono';
import { requireOwnedRecords } from '../../core/services/book-ownership.ts';
import { UUID_LIKE } from '../../core/services/context.ts';
import type { AppBindings } from '../context.ts';

export const requireBookOwner: MiddlewareHandler<AppBindings> = async (c, next) => {
  // ['', 'api', 'v1', 'portfolios', portfolio_id, 'positions' | 'imports' | 'audit', id, …] or
  // ['', 'api', 'v1', 'analytics', 'portfolio', portfolio_id, 'historical-replays', …]
  const segments = c.req.path.split('/');
  const at = segments.findIndex((s, i) => i >= 3 && (s === 'portfolios' || s === 'portfolio'));
  const [portfolioId, kind, id] = at < 0 ? [] : segments.slice(at + 1);
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
