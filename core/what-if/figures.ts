/**
 * The risk figures of an in-memory book, computed with the batch's own phase rules: exposures
 * (valuation engine), summed dollar Greeks, factor betas (compat roll-up over NAV), historical
 * VaR/CVaR of today's delta-adjusted exposures over the 252-day window, and the P&L of stress
 * scenarios by the stress phase's method.
 */
import { historicalPnl } from '../../engines/risk/historical-pnl.ts';
import { historicalVarLevels } from '../../engines/risk/historical-var.ts';
import { fromColumns } from '../../engines/common/dense-matrix.ts';
import { factorRollup } from '../../engines/regression/factor-rollup.ts';
import type { StressScenario } from '../../engines/stress/stress-scenario.ts';
import { portfolioExposureSummary } from '../../engines/valuation/exposure-summary.ts';
import type { PositionInput } from '../../engines/valuation/market-value.ts';
import { exposureBySymbol } from '../batch/phases/risk.ts';
import { stressState } from '../batch/phases/stress.ts';
import { toPositionInput } from '../batch/phases/valuation.ts';
import type { PortfolioState } from '../batch/types.ts';
import type { Book } from './book.ts';
import { round2OrNull } from '../rounding.ts';

/** The value when it is a finite number, else null (for JSON outputs). */
export const finite = (x: number | null | undefined): number | null => (x != null && Number.isFinite(x) ? x : null);
const round2 = (x: number | null | undefined): number | null => round2OrNull(finite(x));

export interface BookFigures {
  nav: number | null;
  cash: number | null;
  long_exposure: number | null;
  short_exposure: number | null;
  gross_exposure: number | null;
  net_exposure: number | null;
  delta_adjusted_net: number | null;
  position_count: number;
  greeks: { dollar_delta: number; dollar_gamma_1pct: number; theta_dollars_per_day: number; vega_dollars_per_vol_pt: number; rho_dollars_per_pct: number };
  factor_betas: { factor: string; beta: number | null; exposure_dollar: number | null }[];
  var: { var_95_1d: number | null; var_99_1d: number | null; cvar_95_1d: number | null; cvar_99_1d: number | null; observations: number };
  stress: { scenario_id: string; name: string; pnl: number | null; pct_nav: number | null }[];
}

function greeksOf(state: PortfolioState): BookFigures['greeks'] {
  const sum = (f: (g: NonNullable<PortfolioState['positions'][number]['greeks']>) => number) => round2(state.positions.reduce((a, s) => a + (s.greeks ? f(s.greeks) : 0), 0))!;
  return {
    dollar_delta: sum((g) => g.dollarDelta), dollar_gamma_1pct: sum((g) => g.dollarGamma1Pct), theta_dollars_per_day: sum((g) => g.thetaDollarsPerDay),
    vega_dollars_per_vol_pt: sum((g) => g.vegaDollarsPerVolPoint), rho_dollars_per_pct: sum((g) => g.rhoDollarsPerPct),
  };
}

function varOf(book: Book): BookFigures['var'] {
  const { symbols, exposures } = exposureBySymbol(book.state, book.market);
  if (!symbols.length) return { var_95_1d: null, var_99_1d: null, cvar_95_1d: null, cvar_99_1d: null, observations: 0 };
  const pnl = historicalPnl(fromColumns(symbols.map((s) => book.market.returns.get(s)!)), exposures);
  const [v95, v99] = historicalVarLevels(pnl, [0.95, 0.99]);
  return { var_95_1d: round2(v95!.var1d), var_99_1d: round2(v99!.var1d), cvar_95_1d: round2(v95!.cvar1d), cvar_99_1d: round2(v99!.cvar1d), observations: pnl.length };
}

/** Every figure of the book; `scenarios` are the stress scenarios to report. */
export function bookFigures(book: Book, scenarios: readonly StressScenario[]): BookFigures {
  const { state, market } = book;
  const inputs = state.positions.map(toPositionInput).filter((x): x is PositionInput => x !== null);
  const sum = portfolioExposureSummary({ positions: inputs, cashUsd: state.cash });
  const keys = market.factors.map((f) => f.key);
  const rollup = factorRollup(
    state.positions.filter((s) => s.deltaAdj !== null).map((s) => ({ id: s.position.id, deltaAdjExposureUsd: s.deltaAdj!, betas: state.betas.has(s.position.id) ? keys.map((k) => state.betas.get(s.position.id)![k]!) : null })),
    keys, sum.navUsd,
  );
  const stress = stressState(state, scenarios).results;
  return {
    nav: round2(sum.navUsd), cash: round2(sum.cashUsd), long_exposure: round2(sum.longExposureUsd), short_exposure: round2(sum.shortExposureUsd),
    gross_exposure: round2(sum.grossExposureUsd), net_exposure: round2(sum.netExposureUsd), delta_adjusted_net: round2(sum.deltaAdjustedNetUsd),
    position_count: state.positions.length,
    greeks: greeksOf(state),
    factor_betas: keys.map((k, j) => ({ factor: k, beta: finite(rollup.portfolioBeta[j]), exposure_dollar: round2(finite(rollup.factorDollarUsd[j])) })),
    var: varOf(book),
    stress: stress.map((r) => ({ scenario_id: r.scenarioId, name: scenarios.find((s) => s.id === r.scenarioId)?.name ?? r.scenarioId, pnl: round2(r.totalPnlUsd), pct_nav: r.pctOfNav })),
  };
}
