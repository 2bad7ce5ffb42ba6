import type { CorrelationMatrix } from './correlation-matrix.ts';
import { correlationPValue } from './pearson.ts';

export interface CorrelationPair {
  a: string;
  b: string;
  /** null when undefined (overlap below the minimum). */
  rho: number | null;
  /** Aligned observations used. */
  n: number;
  /** Two-sided p-value from the same aligned sample; null when rho is null. */
  pValue: number | null;
}

/**
 * Upper-triangle pairs (i < j; the diagonal is implied) of a correlation matrix with their
 * overlap counts and p-values t = ρ√((n−2)/(1−ρ²)) — the storage shape engines.md §10 requires.
 * @example correlationPairs(correlationMatrix(x, ['A', 'B']))[0] // { a: 'A', b: 'B', rho: 0.8, n: 252, pValue: 1e-57 }
 */
export function correlationPairs(cm: CorrelationMatrix): CorrelationPair[] {
  const m = cm.names.length;
  const out: CorrelationPair[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const r = cm.rho[i * m + j]!;
      const n = cm.overlap[i * m + j]!;
      const rho = Number.isNaN(r) ? null : r;
      out.push({ a: cm.names[i]!, b: cm.names[j]!, rho, n, pValue: rho === null ? null : correlationPValue(rho, n) });
    }
  }
  return out;
}
