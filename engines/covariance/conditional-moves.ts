import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { EngineError } from '../errors.ts';
import { asCovarianceMatrix, type CovarianceInput } from './covariance-matrix.ts';

export interface ConditionalMoves {
  /** Expected move m_u of each unshocked covariance factor, native units. */
  moves: Map<string, number>;
  /** Diagonal jitter added to Σ_SS to make it positive definite (0 if none was needed). */
  jitter: number;
}

const MAX_JITTER_STEPS = 8;
/** A Cholesky pivot L_jj² below this fraction of Σ_jj is treated as loss of definiteness. */
const PIVOT_REL_TOL = 1e-12;

/** Cholesky factor of `m` if it is numerically positive definite (every pivot L_jj² > 1e-12 Σ_jj), else null. */
function choleskyIfPd(m: Matrix): CholeskyDecomposition | null {
  const chol = new CholeskyDecomposition(m);
  if (!chol.isPositiveDefinite()) return null;
  const l = chol.lowerTriangularMatrix;
  for (let j = 0; j < m.rows; j++) if (!(l.get(j, j) ** 2 > PIVOT_REL_TOL * m.get(j, j))) return null;
  return chol;
}

/** Cholesky of Σ_SS, with escalating diagonal jitter when it is not numerically PD. */
function jitteredCholesky(sss: Matrix): { chol: CholeskyDecomposition; jitter: number } {
  const s = sss.rows;
  let trace = 0;
  for (let a = 0; a < s; a++) trace += sss.get(a, a);
  let jitter = 0;
  let chol = choleskyIfPd(sss);
  for (let step = 0; chol === null; step++) {
    if (step >= MAX_JITTER_STEPS || trace <= 0) {
      throw new EngineError('SINGULAR_MATRIX', 'covariance of the shocked factors is not positive definite', { jitter, trace });
    }
    jitter = jitter === 0 ? (1e-10 * trace) / s : jitter * 100;
    const jittered = sss.clone();
    for (let a = 0; a < s; a++) jittered.set(a, a, sss.get(a, a) + jitter);
    chol = choleskyIfPd(jittered);
  }
  return { chol, jitter };
}

/**
 * Conditional expectation of the unshocked factors given the shocked ones under a joint normal
 * model (engines.md §8.10.2): m_U = Σ_US Σ_SS⁻¹ s_S, for any covariance of this family (sample,
 * EWMA, or a stored one). Σ_SS⁻¹ s_S is obtained by a Cholesky solve (ml-matrix), never an
 * explicit inverse. If Σ_SS is not numerically positive definite (a Cholesky pivot
 * L_jj² ≤ 1e-12 Σ_jj, e.g. perfectly correlated shocked factors), a diagonal jitter of
 * 1e-10 × trace(Σ_SS)/|S| is added (escalated ×100 up to 8 times) and reported (Appendix B).
 *
 * @param shocks shocked factors (all present in the covariance) → shock in native units.
 * @throws EngineError INVALID_INPUT for a shocked factor missing from the covariance;
 *   SINGULAR_MATRIX if Σ_SS stays indefinite (e.g. a zero-variance shocked factor).
 * @example conditionalFactorMoves({ factors: ['Market', 'Value'], values: Float64Array.of(0.04, 0.02, 0.02, 0.09) },
 *   new Map([['Market', -0.1]])).moves.get('Value') // −0.05 (= 0.02/0.04 × −0.1)
 */
export function conditionalFactorMoves(covariance: CovarianceInput, shocks: ReadonlyMap<string, number>): ConditionalMoves {
  const cov = asCovarianceMatrix(covariance);
  const k = cov.names.length;
  const idx = new Map(cov.names.map((f, i) => [f, i] as const));
  const sIdx: number[] = [];
  const sVal: number[] = [];
  for (const [f, v] of shocks) {
    const i = idx.get(f);
    if (i === undefined) throw new EngineError('INVALID_INPUT', `shocked factor ${f} not in covariance`);
    sIdx.push(i);
    sVal.push(v);
  }
  const uIdx = [...Array(k).keys()].filter((i) => !sIdx.includes(i));
  const moves = new Map<string, number>();
  if (sIdx.length === 0 || uIdx.length === 0) return { moves, jitter: 0 };
  const at = (i: number, j: number) => cov.matrix.data[i * k + j]!;
  const { chol, jitter } = jitteredCholesky(new Matrix(sIdx.map((i) => sIdx.map((j) => at(i, j)))));
  const x = chol.solve(Matrix.columnVector(sVal));
  for (const u of uIdx) {
    let m = 0;
    for (let a = 0; a < sIdx.length; a++) m += at(u, sIdx[a]!) * x.get(a, 0);
    moves.set(cov.names[u]!, m);
  }
  return { moves, jitter };
}
