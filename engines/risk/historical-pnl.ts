import { EngineError } from '../errors.ts';
import type { DenseMatrix } from '../common/dense-matrix.ts';

/**
 * Historical-simulation P&L (engines.md §11): applies each past day's returns to TODAY's
 * signed delta-adjusted exposures, pnl_t = Σ_i E_i × r_{t,i} (USD). Positions keep today's
 * size; no compounding within a day.
 * @param returns n × m row-major daily simple returns (days × positions), aligned on common dates.
 * @param exposuresUsd m signed delta-adjusted exposures (USD).
 * @throws EngineError INVALID_INPUT on a shape mismatch or non-finite value.
 * @example historicalPnl(denseMatrix(new Float64Array([0.01, -0.02]), 1, 2), [1000, 500]) // Float64Array [0]
 */
export function historicalPnl(returns: DenseMatrix, exposuresUsd: ArrayLike<number>): Float64Array {
  const { rows: n, cols: m, data } = returns;
  if (exposuresUsd.length !== m) throw new EngineError('INVALID_INPUT', `${exposuresUsd.length} exposures for ${m} return columns`);
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let s = 0;
    const off = t * m;
    for (let i = 0; i < m; i++) s += exposuresUsd[i]! * data[off + i]!;
    if (!Number.isFinite(s)) throw new EngineError('INVALID_INPUT', `non-finite P&L on day ${t}`);
    out[t] = s;
  }
  return out;
}
