/**
 * Greeks phase (engines.md §5.2): per-share and position Greeks of every option held, with the
 * pricing inputs (underlying close, volatility and its source, continuous rate, tenor), keyed by
 * (position, as_of) with history. Stocks have no Greeks row.
 */
import { replacePortfolioRows } from '../../../db/queries/results-write.ts';
import { positionGreeks } from '../../../db/schema/index.ts';
import type { PortfolioPhase } from '../types.ts';

export const greeksPhase: PortfolioPhase = async (tx, run, state) => {
  const warnings: string[] = [];
  const rows: (typeof positionGreeks.$inferInsert)[] = [];
  for (const s of state.positions) {
    const t = s.position.positionType;
    if (t === 'LONG' || t === 'SHORT') continue;
    if (!s.greeks) {
      warnings.push(`${s.position.symbol}: no Greeks (${s.price.flags.join('; ') || 'no underlying price'})`);
      continue;
    }
    const g = s.greeks;
    rows.push({
      positionId: s.position.id, asOf: run.asOf, portfolioId: state.id, runId: run.runId,
      underlyingPrice: s.price.underlyingPrice, volAnnual: s.price.volAnnual, volSource: s.price.volSource, rateCont: s.price.rateCont, tenorYears: g.tenorYears,
      modelPrice: g.perShare.price, delta: g.perShare.delta, gamma: g.perShare.gamma, thetaPerDay: g.perShare.thetaPerDay,
      vegaPerVolPoint: g.perShare.vegaPerVolPoint, rhoPerPct: g.perShare.rhoPerPct,
      shareDelta: g.shareDelta, dollarDelta: g.dollarDelta, gammaShares: g.gammaShares, dollarGamma1pct: g.dollarGamma1Pct,
      thetaDollarsPerDay: g.thetaDollarsPerDay, vegaDollarsPerVolPt: g.vegaDollarsPerVolPoint, rhoDollarsPerPct: g.rhoDollarsPerPct,
      isExpired: g.expired, flags: s.price.flags,
    });
  }
  const n = await replacePortfolioRows(tx, positionGreeks, ['positionId', 'asOf'], rows, { portfolioId: state.id, asOf: run.asOf, runId: run.runId });
  return { rows: n, warnings, metrics: { options: rows.length } };
};
