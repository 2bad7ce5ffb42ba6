/**
 * Portfolio overview (api.md §8.1) read from the stored exposures and valuations of the latest
 * as-of date: one row per position (the reference's price join multiplied totals), exposures
 * relative to equity, unrealized P&L summed from stored valuations.
 */
import { overviewInputs } from '../../db/queries/results.ts';
import type { Overview } from '../contracts/analytics.ts';
import { notFound } from '../errors.ts';
import { isOption, round2 } from './book.ts';
import { NO_PROVENANCE, provenanceOf } from './analytics-provenance.ts';
import { UUID_LIKE, type Principal, type ServiceDeps } from './context.ts';
import { today } from './positions.ts';

const pct = (x: number, base: number) => (base === 0 ? 0 : Math.round((x / base) * 1000) / 10);

function unavailable(portfolioId: string): Overview {
  return {
    available: false, reason: 'no_results', portfolio_id: portfolioId, ...NO_PROVENANCE, total_value: 0, cash_balance: 0,
    exposures: { long_exposure: 0, short_exposure: 0, gross_exposure: 0, net_exposure: 0, long_percentage: 0, short_percentage: 0, gross_percentage: 0, net_percentage: 0 },
    pnl: { total_pnl: 0, unrealized_pnl: 0, realized_pnl: 0 },
    position_count: { total_positions: 0, long_count: 0, short_count: 0, option_count: 0 },
    last_updated: null,
  };
}

/** The overview of an owned portfolio, or `available: false` before the batch has run (one query). */
export async function getOverview(deps: ServiceDeps, principal: Principal, portfolioId: string): Promise<Overview> {
  if (!UUID_LIKE.test(portfolioId)) throw notFound('portfolio', portfolioId);
  const { owned, exposure: x, valuations: vals, closed, proxiedHoldings, staleness } = await overviewInputs(deps.db, principal.userId, portfolioId, today(deps));
  if (!owned) throw notFound('portfolio', portfolioId);
  if (!x) return unavailable(portfolioId);
  const prov = provenanceOf(x.asOf, x.runId, vals, () => proxiedHoldings, staleness);
  const realized = round2(closed.reduce((s, p) => s + (p.exit - p.entry) * p.q * p.m, 0));
  const nav = x.nav ?? x.netExposure + (x.cash ?? 0);
  const shortAbs = Math.abs(x.shortExposure);
  const unrealized = round2(vals.reduce((s, v) => s + (v.unrealizedPnl ?? 0), 0));
  return {
    available: true, reason: null, portfolio_id: portfolioId, ...prov,
    total_value: round2(nav),
    cash_balance: round2(x.cash ?? 0),
    exposures: {
      long_exposure: round2(x.longExposure), short_exposure: round2(shortAbs), gross_exposure: round2(x.grossExposure), net_exposure: round2(x.netExposure),
      long_percentage: pct(x.longExposure, nav), short_percentage: pct(shortAbs, nav), gross_percentage: pct(x.grossExposure, nav), net_percentage: pct(x.netExposure, nav),
    },
    pnl: { total_pnl: round2(unrealized + realized), unrealized_pnl: unrealized, realized_pnl: realized },
    position_count: { total_positions: x.positionCount, long_count: x.longCount, short_count: x.shortCount, option_count: vals.filter((v) => isOption(v.positionType)).length },
    last_updated: x.finishedAt?.toISOString() ?? null,
  };
}
