/**
 * Benchmark: factor betas for 10,000 positions × 252 days × 7 factors sharing one window
 * (`batchFactorBetas`: one QR of the design, reused for every position), and the same
 * computation in numpy (QR once, Yᵀ·Q, triangular solve, SEs, R²) in a child process on the
 * same seeded data, timed inside python (on the OpenBLAS kernel it detects: `pythonEnv` in lib.ts).
 */
import { batchFactorBetas } from '../../engines/regression/batch-factor-betas.ts';
import { type BenchRow, type BenchSuite, gauss, medianMs, mulberry32, numpyTimed } from './lib.ts';

const POSITIONS = 10_000;
const DAYS = 252;
const FACTORS = 7;


function data() {
  const r = mulberry32(20260713);
  const factors = new Float64Array(DAYS * FACTORS);
  for (let t = 0; t < DAYS; t++) {
    const market = 0.01 * gauss(r);
    for (let j = 0; j < FACTORS; j++) factors[t * FACTORS + j] = market * (j === 0 ? 1 : 0.8) + 0.004 * gauss(r);
  }
  const returns = new Float64Array(POSITIONS * DAYS);
  const beta = new Float64Array(FACTORS);
  for (let p = 0; p < POSITIONS; p++) {
    for (let j = 0; j < FACTORS; j++) beta[j] = (j === 0 ? 1 : 0) + 0.3 * gauss(r);
    for (let t = 0; t < DAYS; t++) {
      let y = 0;
      for (let j = 0; j < FACTORS; j++) y += beta[j]! * factors[t * FACTORS + j]!;
      returns[p * DAYS + t] = y + 0.015 * gauss(r);
    }
  }
  return { factors, returns };
}

const PY = `
try:
    from scipy.linalg import solve_triangular
except ImportError:
    solve_triangular = lambda R, B: np.linalg.solve(R, B)
P, n, k = ${POSITIONS}, ${DAYS}, ${FACTORS}
X = np.fromfile(d + '/factors.bin').reshape(n, k)
Y = np.fromfile(d + '/returns.bin').reshape(P, n)
def run():
    mu = X.mean(0); Xc = X - mu; s = np.linalg.norm(Xc, axis=0); Q, R = np.linalg.qr(Xc / s)
    C = Y @ Q
    B = solve_triangular(R, C.T).T / s
    ym = Y.mean(1); sst = ((Y - ym[:, None]) ** 2).sum(1); ssr = sst - (C * C).sum(1)
    sigma = np.sqrt(ssr / (n - k - 1)); rinv = solve_triangular(R, np.eye(k))
    se = sigma[:, None] * (np.linalg.norm(rinv, axis=1) / s)
    return B, se, B / se, ym - B @ mu, 1 - ssr / sst
`;

const suite: BenchSuite = {
  name: 'Factor betas (multivariate OLS, shared window)',
  async run(): Promise<BenchRow[]> {
    const { factors, returns } = data();
    const input = { factors: { data: factors, rows: DAYS, cols: FACTORS }, returns, positions: POSITIONS };
    const ms = await medianMs(() => batchFactorBetas(input), 9, 5);
    const ref = numpyTimed(PY, { factors, returns });
    const ref1 = numpyTimed(PY, { factors, returns }, { threads: 1 });
    return [{
      name: `factor betas, ${POSITIONS.toLocaleString('en-US')} positions × ${DAYS} days × ${FACTORS} factors (one QR)`,
      unit: 'position', units: POSITIONS, medianMs: ms,
      ...(ref ? { referenceMs: ref.ms, referenceName: ref.name } : {}),
      ...(ref1 ? {
        extra: {
          'numpy 1 BLAS thread ms': ref1.ms.toFixed(2), 'ratio to 1 thread': (ms / ref1.ms).toFixed(2), 'numpy 1 thread BLAS': ref1.blas,
          'numpy faults / call': `${ref?.faults.toFixed(0) ?? '?'} / ${ref1.faults.toFixed(0)} (1 thread)`,
        },
      } : {}),
    }];
  },
};
export default suite;
