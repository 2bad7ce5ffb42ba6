import { EngineError } from '../errors.ts';
import { normCdf, normPdf } from './normal.ts';

// P. J. Acklam's rational approximations of the standard normal quantile (relative error
// < 1.15e-9 before refinement).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW || p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const x = (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
    return p < P_LOW ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
}

/**
 * Standard normal quantile Φ⁻¹(p): Acklam's rational approximation followed by one Halley
 * step on f(x) = Φ(x) − p using the Cody `normCdf` (relative error < 1e-15):
 * e = Φ(x) − p, u = e/φ(x), x ← x − u/(1 + x·u/2).
 * Accuracy: |error| < 1e-14 absolute for p ∈ [1e-300, 1 − 1e-16] (tested against scipy
 * `norm.ppf`). In the upper tail the step uses the complementary probability to avoid
 * cancellation in 1 − p.
 * @throws EngineError INVALID_INPUT when p is not in (0, 1); Φ⁻¹(0) and Φ⁻¹(1) are infinite.
 * @example normInv(0.975) // 1.959963984540054
 */
export function normInv(p: number): number {
  if (!(p > 0 && p < 1)) throw new EngineError('INVALID_INPUT', `normInv needs p in (0, 1), got ${p}`);
  if (p > 0.5) return -normInv(1 - p);
  let x = acklam(p);
  const e = normCdf(x) - p;
  const u = e / normPdf(x);
  x -= u / (1 + 0.5 * x * u);
  return x;
}
