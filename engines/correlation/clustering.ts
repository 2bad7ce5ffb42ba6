import { agnes, type Cluster } from 'ml-hclust';
import { EngineError } from '../errors.ts';

export interface CorrelationCluster {
  members: string[];
  /** Mean signed ρ over member pairs (undefined pairs skipped; null if none defined). */
  avgCorrelation: number | null;
  /** Per member (same order): its mean signed ρ to the other members. */
  memberCorrelation: (number | null)[];
}

export interface CorrelationClusters {
  threshold: number;
  /** Average-linkage hierarchical clusters (ml-hclust `agnes`), distance d = 1 − |ρ|, cut at 1 − threshold. */
  hierarchical: CorrelationCluster[];
  /** Connected components of the graph with an edge where |ρ| ≥ threshold (union-find; chains). */
  components: CorrelationCluster[];
}

function describe(groups: number[][], rho: Float64Array, names: readonly string[]): CorrelationCluster[] {
  const m = names.length;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  return groups
    .filter((g) => g.length >= 2)
    .map((g) => {
      const sorted = [...g].sort((a, b) => a - b);
      const all: number[] = [];
      const per = sorted.map((i) => {
        const vals = sorted.filter((j) => j !== i).map((j) => rho[i * m + j]!).filter((v) => !Number.isNaN(v));
        return mean(vals);
      });
      for (let x = 0; x < sorted.length; x++) for (let y = x + 1; y < sorted.length; y++) {
        const v = rho[sorted[x]! * m + sorted[y]!]!;
        if (!Number.isNaN(v)) all.push(v);
      }
      return { members: sorted.map((i) => names[i]!), avgCorrelation: mean(all), memberCorrelation: per };
    })
    .sort((a, b) => b.members.length - a.members.length || (a.members[0]! < b.members[0]! ? -1 : 1));
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]!]!;
    i = parent[i]!;
  }
  return i;
}

/**
 * Clusters of highly correlated series, both ways engines.md §10 asks for:
 * (1) average-linkage (UPGMA) hierarchical clustering on d_ij = 1 − |ρ_ij|, cut so every
 * cluster's merge height is ≤ 1 − threshold (same as scipy `fcluster(…, criterion='distance')`);
 * (2) union-find connected components on |ρ| ≥ threshold (the reference's method; it chains).
 * Undefined pairs (NaN ρ) count as uncorrelated (d = 1, no edge). Only clusters with ≥ 2
 * members are returned, largest first, with each member's true mean correlation to the others.
 * @param rho m × m row-major correlation matrix (e.g. `correlationMatrix(...).rho`).
 * @param threshold |ρ| threshold in (0, 1], default 0.7 (Appendix A).
 * @throws EngineError INVALID_INPUT when rho is not m × m or the threshold is outside (0, 1].
 * @example correlationClusters(cm.rho, cm.names, 0.7).hierarchical[0].members // ['QQQ', 'SPY']
 */
export function correlationClusters(rho: Float64Array, names: readonly string[], threshold = 0.7): CorrelationClusters {
  const m = names.length;
  if (rho.length !== m * m) throw new EngineError('INVALID_INPUT', `rho has ${rho.length} entries for ${m} names`);
  if (!(threshold > 0 && threshold <= 1)) throw new EngineError('INVALID_INPUT', `threshold must be in (0, 1], got ${threshold}`);
  const abs = (i: number, j: number) => {
    const v = rho[i * m + j]!;
    return Number.isNaN(v) ? 0 : Math.abs(v);
  };
  let hierarchical: number[][] = [];
  if (m === 1) hierarchical = [[0]];
  else if (m > 1) {
    const dist = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 0 : 1 - abs(i, j))));
    const tree = agnes(dist, { method: 'average', isDistanceMatrix: true });
    hierarchical = tree.cut(1 - threshold + 1e-12).map((c: Cluster) => c.indices());
  }
  const parent = Int32Array.from({ length: m }, (_, i) => i);
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) {
    if (abs(i, j) >= threshold) parent[find(parent, i)] = find(parent, j);
  }
  const comps = new Map<number, number[]>();
  for (let i = 0; i < m; i++) {
    const r = find(parent, i);
    comps.set(r, [...(comps.get(r) ?? []), i]);
  }
  return { threshold, hierarchical: describe(hierarchical, rho, names), components: describe([...comps.values()], rho, names) };
}
