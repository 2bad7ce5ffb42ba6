/**
 * The caller's portfolios with live values: `total_value` is the signed market value of open
 * positions priced by the same rule as every other figure (latest close on or before the as-of
 * date, option multiplier, proxies for funds), plus the latest stored exposure figures.
 */
import { listOpenPositions } from '../../db/queries/portfolios.ts';
import { latestExposures, listUserPortfolios } from '../../db/queries/user-portfolios.ts';
import { latestPriceDate } from '../../db/queries/market-prices.ts';
import { AppError } from '../errors.ts';
import type { Principal, ServiceDeps } from './context.ts';
import { requireOwnedPortfolio } from './context.ts';
import { marketValues, pricePositions } from './pricing.ts';

export interface PortfolioSummary {
  id: string;
  name: string;
  description: string | null;
  currency: string;
  position_count: number;
  total_value: number | null;
  priced_as_of: string | null;
  unpriced_positions: number;
  latest_results_as_of: string | null;
  nav: number | null;
  gross_exposure: number | null;
  net_exposure: number | null;
  created_at: string;
}

async function liveValue(deps: ServiceDeps, portfolioId: string, asOf: string | null): Promise<{ total: number | null; unpriced: number }> {
  if (!asOf) return { total: null, unpriced: 0 };
  const rows = await listOpenPositions(deps.db, portfolioId);
  const positions = rows.map((r) => ({ ...r, quantity: Number(r.quantity), entryPrice: Number(r.entryPrice), strikePrice: r.strikePrice == null ? null : Number(r.strikePrice) }));
  const values = marketValues(positions, await pricePositions(deps.db, positions, asOf));
  const priced = values.filter((v): v is number => v !== null);
  return { total: priced.length ? Math.round(priced.reduce((a, b) => a + b, 0) * 100) / 100 : rows.length ? null : 0, unpriced: values.length - priced.length };
}

/** Every live portfolio of the principal, oldest first. */
export async function listPortfolioSummaries(deps: ServiceDeps, principal: Principal): Promise<PortfolioSummary[]> {
  const rows = await listUserPortfolios(deps.db, principal.userId);
  const [exposures, asOf] = await Promise.all([latestExposures(deps.db, rows.map((r) => r.id)), latestPriceDate(deps.db, deps.clock().toISOString().slice(0, 10))]);
  return Promise.all(
    rows.map(async (r) => {
      const live = await liveValue(deps, r.id, asOf);
      const e = exposures.get(r.id);
      return {
        id: r.id, name: r.name, description: r.description, currency: r.currency, position_count: r.positionCount,
        total_value: live.total, priced_as_of: asOf, unpriced_positions: live.unpriced,
        latest_results_as_of: e?.asOf ?? null, nav: e?.nav ?? null, gross_exposure: e?.grossExposure ?? null, net_exposure: e?.netExposure ?? null,
        created_at: r.createdAt.toISOString(),
      };
    }),
  );
}

/**
 * The portfolio a request means: the given id (ownership checked) or, when omitted, the caller's
 * only or first portfolio. A caller with no portfolio gets NOT_FOUND.
 */
export async function resolvePortfolioId(deps: ServiceDeps, principal: Principal, portfolioId?: string | null): Promise<string> {
  if (portfolioId) return (await requireOwnedPortfolio(deps.db, principal, portfolioId)).id;
  const [first] = await listUserPortfolios(deps.db, principal.userId);
  if (!first) throw new AppError('NOT_FOUND', 'you have no portfolio yet');
  return first.id;
}
