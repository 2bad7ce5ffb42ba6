/** Which portfolio a request means when it names none: the caller's only or first (oldest) portfolio. */
import { firstPortfolioId } from '../../db/queries/portfolios.ts';
import { AppError } from '../errors.ts';
import { requireOwnedPortfolio, type Principal, type ServiceDeps } from './context.ts';

/** The given id (ownership checked) or, when omitted, the caller's first portfolio; NOT_FOUND when the caller has none. */
export async function resolvePortfolioId(deps: ServiceDeps, principal: Principal, portfolioId?: string | null): Promise<string> {
  if (portfolioId) return (await requireOwnedPortfolio(deps.db, principal, portfolioId)).id;
  const first = await firstPortfolioId(deps.db, principal.userId);
  if (!first) throw new AppError('NOT_FOUND', 'you have no portfolio yet');
  return first;
}
