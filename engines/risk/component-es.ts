import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';
import { historicalVar } from './historical-var.ts';

export interface HistoricalComponentEs {
  /** Historical VaR of the total P&L, USD (positive = loss), as {@link historicalVar}'s var1d. */
  varUsd: number;
  /** Expected shortfall: −mean total P&L over the tail scenarios, USD (historicalVar's cvar1d). */
  esUsd: number;
  /** Per holding: −mean of its P&L over the same tail scenarios, USD; Σ_i componentEs_i = esUsd. */
  componentEs: Float64Array;
  /** Row indices of the tail scenarios, ascending. */
  tailScenarios: number[];
}

/**
 * Historical component expected shortfall (the Euler allocation of historical ES; Tasche 2002,
 * "Expected shortfall and beyond"). `pnl` holds T scenarios × n holdings of full-revaluation
 * P&L (row-major, rows = scenarios); the scenario total is the row sum P_t = Σ_i pnl_ti.
 * Tail: exactly the convention of {@link historicalVar} — q = np.quantile(P, 1 − c) (linear,
 * type 7), VaR = −q, tail = {t : P_t ≤ q} (ties at q all included), ES = −mean_{t∈tail} P_t.
 * Component: ES_i = −mean_{t∈tail} pnl_ti, so Σ_i ES_i = ES (up to rounding). VaR and ES come
 * from historicalVar itself, so they equal what the historical VaR engine reports for P.
 * @throws EngineError INVALID_INPUT (bad shape, non-finite P&L, confidence ∉ (0, 1));
 * INSUFFICIENT_DATA (fewer than 20 scenarios, or no holding).
 * @example historicalComponentEs(denseMatrix(pnl, 252, 3), 0.975).componentEs // three USD amounts summing to esUsd
 */
export function historicalComponentEs(pnl: DenseMatrix, confidence: number): HistoricalComponentEs {
  const { rows: T, cols: n, data } = pnl;
  if (data.length !== T * n) throw new EngineError('INVALID_INPUT', `P&L data of length ${data.length} does not match ${T}×${n}`);
  if (n < 1) throw new EngineError('INSUFFICIENT_DATA', 'component ES needs at least one holding');
  const totals = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = data[t * n + i]!;
      if (!Number.isFinite(v)) throw new EngineError('INVALID_INPUT', `non-finite P&L at scenario ${t}, holding ${i}`, { scenario: t, holding: i });
      s += v;
    }
    totals[t] = s;
  }
  const h = historicalVar(totals, confidence);
  const q = -h.var1d;
  const tailScenarios: number[] = [];
  const componentEs = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    if (!(totals[t]! <= q)) continue;
    tailScenarios.push(t);
    for (let i = 0; i < n; i++) componentEs[i] = componentEs[i]! - data[t * n + i]!;
  }
  for (let i = 0; i < n; i++) componentEs[i] = componentEs[i]! / tailScenarios.length;
  return { varUsd: h.var1d, esUsd: h.cvar1d, componentEs, tailScenarios };
}
