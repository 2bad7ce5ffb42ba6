/**
 * Market-risk and rate scenarios (engines.md §7.4): market shocks ±5/10/20 % give
 * pnl = Σ_i delta_adj_i × β_{i,Market} × shock (linear) and, for options, a full BSM revaluation
 * with the underlying moved by β × shock (stocks stay linear); rate shocks ±50/100/200 bp give
 * Σ_i delta_adj_i × β_{i,bp} × shock_bp. Positions without betas are uncovered (warning).
 */
import { replacePortfolioRows } from '../../../db/queries/results-write.ts';
import { marketRiskScenarios } from '../../../db/schema/index.ts';
import { DEFAULT_MARKET_SHOCKS, marketBetaScenarios, type MarketBetaPosition } from '../../../engines/scenarios/market-scenarios.ts';
import { optionMarketScenarios, type OptionScenarioPosition } from '../../../engines/scenarios/option-scenarios.ts';
import { DEFAULT_RATE_SHOCKS, rateShockScenarios, type RateBetaPosition } from '../../../engines/scenarios/rate-scenarios.ts';
import { isOptionType } from '../../../engines/valuation/position-type.ts';
import { RATE_FACTOR } from '../factor-model.ts';
import { navOfState } from '../portfolio-state.ts';
import type { PortfolioPhase, PortfolioState } from '../types.ts';
import { round2 } from '../../rounding.ts';


function inputs(state: PortfolioState) {
  const market: MarketBetaPosition[] = [];
  const rate: RateBetaPosition[] = [];
  const options: OptionScenarioPosition[] = [];
  const uncovered: string[] = [];
  for (const s of state.positions) {
    const b = state.betas.get(s.position.id);
    if (!b || s.deltaAdj === null) {
      uncovered.push(s.position.symbol);
      continue;
    }
    market.push({ id: s.position.id, deltaAdjustedUsd: s.deltaAdj, betaMarket: b['Market'] ?? 0 });
    if (b[RATE_FACTOR] !== undefined) rate.push({ id: s.position.id, exposureUsd: s.deltaAdj, rateBetaPerBp: b[RATE_FACTOR] });
    const px = s.price;
    if (isOptionType(s.position.positionType) && s.greeks && !s.greeks.expired && px.underlyingPrice !== null) {
      options.push({
        id: s.position.id, positionType: s.position.positionType, quantity: s.position.quantity, spot: px.underlyingPrice, strike: s.position.strikePrice!,
        tenorYears: s.greeks.tenorYears, rateCont: px.rateCont ?? 0, volAnnual: px.volAnnual ?? 0, betaUnderlying: b['Market'] ?? 0,
      });
    }
  }
  return { market, rate, options, uncovered };
}

export const scenariosPhase: PortfolioPhase = async (tx, run, state) => {
  const { market, rate, options, uncovered } = inputs(state);
  const nav = navOfState(state);
  const pct = (x: number) => (nav > 0 ? x / nav : null);
  const optionIds = new Set(options.map((o) => o.id));
  const linear = marketBetaScenarios(market, DEFAULT_MARKET_SHOCKS);
  const reval = optionMarketScenarios(options, DEFAULT_MARKET_SHOCKS);
  const base = { portfolioId: state.id, asOf: run.asOf, runId: run.runId };
  const rows: (typeof marketRiskScenarios.$inferInsert)[] = linear.map((s, i) => {
    const nonOption = s.contributions.filter((c) => !optionIds.has(c.id)).reduce((a, c) => a + c.pnlUsd, 0);
    const full = nonOption + reval[i]!.fullRevaluationPnlUsd;
    return {
      ...base, scenarioKey: s.label, scenarioType: 'market', shockValue: s.shock, pnlLinear: round2(s.pnlUsd), pnlFullReval: round2(full), pnlPctNav: pct(s.pnlUsd),
      metadata: { beta: 'compat Market (univariate on SPY)', optionsRevalued: options.length, uncovered },
    };
  });
  for (const s of rateShockScenarios(rate, DEFAULT_RATE_SHOCKS)) {
    rows.push({ ...base, scenarioKey: s.label, scenarioType: 'rate', shockValue: s.shockBp, pnlLinear: round2(s.pnlUsd), pnlFullReval: null, pnlPctNav: pct(s.pnlUsd), metadata: { beta: 'return per +1 bp of the 10-year yield', uncovered } });
  }
  const n = await replacePortfolioRows(tx, marketRiskScenarios, ['portfolioId', 'asOf', 'scenarioKey'], rows, base);
  return { rows: n, warnings: uncovered.length ? [`uncovered by betas: ${uncovered.join(', ')}`] : [] };
};
