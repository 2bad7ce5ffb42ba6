/**
 * Seeded random variates for the Monte Carlo engines: uniforms from pure-rand's xoroshiro128+
 * (53-bit `uniformFloat64`), standard normals by Marsaglia's polar method, gamma variates by
 * Marsaglia–Tsang, and the unit-variance Student-t mixing factor built from them. The same seed
 * gives the same stream on every platform (integer arithmetic underneath).
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { EngineError } from '../errors.ts';

/** Outputs discarded after seeding, so nearby seeds do not start on correlated states. */
const WARM_UP = 32;

/**
 * A seeded stream of variates. Not thread-safe; one per simulation.
 * @example const r = new SeededVariates(42); r.normal() // same value for seed 42 on every run
 */
export class SeededVariates {
  private readonly rng: RandomGenerator;
  private spare = 0;
  private hasSpare = false;

  /**
   * @param seed an integer; it seeds xoroshiro128+ modulo 2³² (`seed | 0`).
   * @throws EngineError INVALID_INPUT for a non-integer seed.
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new EngineError('INVALID_INPUT', `seed must be an integer, got ${seed}`);
    this.rng = xoroshiro128plus(seed | 0);
    for (let i = 0; i < WARM_UP; i++) this.rng.next();
  }

  /** Uniform on [0, 1), multiples of 2⁻⁵³. */
  uniform(): number {
    return uniformFloat64(this.rng);
  }

  /**
   * Standard normal by Marsaglia's polar method: draw (u, v) uniform on the square [−1, 1)² until
   * s = u² + v² ∈ (0, 1); then u·m and v·m with m = √(−2 ln s / s) are independent N(0, 1)
   * (the second is kept for the next call).
   */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * uniformFloat64(this.rng) - 1;
      v = 2 * uniformFloat64(this.rng) - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    this.hasSpare = true;
    return u * m;
  }

  /**
   * Gamma(shape, 1) for shape ≥ 1 by Marsaglia & Tsang, "A simple method for generating gamma
   * variables", ACM TOMS 26 (2000): d = a − 1/3, c = 1/√(9d); repeat x ~ N(0,1), v = (1 + c x)³
   * until v > 0 and ln U < x²/2 + d − d v + d ln v; return d v.
   * @throws EngineError INVALID_INPUT for shape < 1 (not needed here: ν > 2 gives shape > 1).
   */
  gamma(shape: number): number {
    if (!(shape >= 1)) throw new EngineError('INVALID_INPUT', `gamma shape must be ≥ 1, got ${shape}`);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const t = 1 + c * x;
      if (t <= 0) continue;
      const v = t * t * t;
      const u = uniformFloat64(this.rng);
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  /**
   * The factor that turns a vector of independent normals into a multivariate Student-t vector of
   * unit variance: √((ν − 2) / W) with W ~ χ²_ν = 2·Gamma(ν/2). Multiplying z ~ N(0, I) by it
   * gives z·√(ν/W)·√((ν − 2)/ν), i.e. t_ν draws scaled to variance 1.
   */
  studentTScale(dof: number): number {
    return Math.sqrt((dof - 2) / (2 * this.gamma(dof / 2)));
  }
}
