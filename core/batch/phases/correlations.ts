/**
 * Position correlations phase (engines.md §10 Required): log returns over the last 63 trading
 * days of each source symbol held (positions aggregated by symbol, weights = signed
 * delta-adjusted exposure), Pearson matrix on aligned dates, upper-triangle pairs with p-values
 * from the same sample, average-linkage and union-find clusters at |ρ| ≥ 0.7 with every member,
 * diversification score, effective positions with actual weights and HHI effective N.
 * One calculation per (portfolio, as_of, window) with replace semantics.
 */
import { eq } from 'drizzle-orm';
import { sectorsOf } from '../../../db/queries/batch-portfolios.ts';
import { upsertRows } from '../../../db/queries/results-write.ts';
import { correlationCalculations, correlationClusters } from '../../../db/schema/index.ts';
import { denseMatrix } from '../../../engines/common/dense-matrix.ts';
import { correlationClusters as clusterize, type CorrelationCluster } from '../../../engines/correlation/clustering.ts';
import { correlationMatrix } from '../../../engines/correlation/correlation-matrix.ts';
import { correlationPairs } from '../../../engines/correlation/correlation-pairs.ts';
import { diversification } from '../../../engines/correlation/diversification.ts';
import { exposureBySymbol } from './risk.ts';
import { cached, type PortfolioPhase, type RunContext } from '../types.ts';

export const CORRELATION_WINDOW = 63;
export const CLUSTER_THRESHOLD = 0.7;

function nickname(c: CorrelationCluster, sectors: Map<string, string | null>, weight: Map<string, number>): string {
  const counts = new Map<string, number>();
  for (const m of c.members) {
    const s = sectors.get(m);
    if (s) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const [top] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (top && top[1] / c.members.length >= 0.7) return top[0];
  const largest = [...c.members].sort((a, b) => Math.abs(weight.get(b) ?? 0) - Math.abs(weight.get(a) ?? 0) || (a < b ? -1 : 1))[0]!;
  return `${largest} lookalikes`;
}

interface CorrelationResult {
  names: string[];
  weight: Map<string, number>;
  excludedCount: number;
  warnings: string[];
  pairs: ReturnType<typeof correlationPairs>;
  clusters: ReturnType<typeof clusterize> | null;
  fields: Omit<typeof correlationCalculations.$inferInsert, 'portfolioId' | 'asOf' | 'windowDays'>;
}

/** Computes the correlation calculation of a portfolio from the run's return window (pure). */
function computeCorrelations(state: Parameters<PortfolioPhase>[2], m: NonNullable<RunContext['market']>, runId: string): CorrelationResult {
  const { symbols: all, exposures: allExp, excluded } = exposureBySymbol(state, m);
  const T = CORRELATION_WINDOW;
  // A constant series has no correlation: excluded like a missing one.
  const keep = all.map((s, i) => ({ s, w: allExp[i]! })).filter(({ s }) => m.returns.get(s)!.subarray(-T).some((v, _i, r) => v !== r[0]));
  const names = keep.map((k) => k.s);
  const weights = keep.map((k) => k.w);
  const data = new Float64Array(names.length * T);
  names.forEach((s, i) => {
    const c = m.windowCloses.get(s)!.subarray(-(T + 1));
    for (let t = 0; t < T; t++) data[i * T + t] = Math.log(c[t + 1]! / c[t]!);
  });
  const warnings = excluded.length ? [`excluded (no return window): ${excluded.join(', ')}`] : [];
  const gross = weights.reduce((a, w) => a + Math.abs(w), 0);
  const cm = names.length >= 2 ? correlationMatrix(denseMatrix(data, names.length, T), names) : null;
  const div = cm && gross > 0 ? diversification(cm.rho, weights.map(Math.abs)) : null;
  const eff = cm && gross > 0 ? diversification(cm.rho, weights) : null;
  const clusters = cm ? clusterize(cm.rho, names, CLUSTER_THRESHOLD) : null;
  const pairs = cm ? correlationPairs(cm) : [];
  const defined = pairs.filter((p) => p.rho !== null);
  const weight = new Map(names.map((s, i) => [s, weights[i]!]));
  const inClusters = new Set(clusters?.hierarchical.flatMap((c) => c.members) ?? []);
  const excludedCount = excluded.length + (all.length - names.length);
  const fields = {
    symbols: names, runId,
    correlations: pairs.map((p) => p.rho), pValues: pairs.map((p) => p.pValue), dataPoints: pairs.map((p) => p.n),
    overallCorrelation: defined.length ? defined.reduce((a, p) => a + Math.abs(p.rho!), 0) / defined.length : null,
    diversificationScore: div?.diversificationScore ?? null, effectivePositions: eff?.effectivePositions ?? null,
    concentrationScore: gross > 0 ? names.filter((s) => inClusters.has(s)).reduce((a, s) => a + Math.abs(weight.get(s)!), 0) / gross : null,
    includedCount: names.length, excludedCount,
    params: { windowReturns: T, returns: 'log', threshold: CLUSTER_THRESHOLD, weights: 'signed delta-adjusted exposure per symbol', hhiEffectivePositions: div?.hhiEffectivePositions ?? null },
    warnings,
  };
  return { names, weight, excludedCount, warnings, pairs, clusters, fields };
}

export const correlationsPhase: PortfolioPhase = async (tx, run, state) => {
  const r = computeCorrelations(state, run.market!, run.runId);
  const [calc] = await tx
    .insert(correlationCalculations)
    .values({ portfolioId: state.id, asOf: run.asOf, windowDays: CORRELATION_WINDOW, ...r.fields })
    .onConflictDoUpdate({ target: [correlationCalculations.portfolioId, correlationCalculations.asOf, correlationCalculations.windowDays], set: r.fields })
    .returning({ id: correlationCalculations.id });
  const id = calc!.id;
  await tx.delete(correlationClusters).where(eq(correlationClusters.calculationId, id));
  let n = 1;
  const sectors = await cached(run.cache, 'sectors', () => sectorsOf(tx, [...run.market!.pricing.symbols]));
  const clusterRows = (['hierarchical', 'components'] as const).flatMap((method) =>
    (r.clusters?.[method] ?? []).map((c, i) => ({
      calculationId: id, method, clusterIndex: i, nickname: nickname(c, sectors, r.weight), members: c.members, avgCorrelation: c.avgCorrelation,
      grossValue: Math.round(c.members.reduce((a, s) => a + Math.abs(r.weight.get(s)!), 0) * 100) / 100,
    })),
  );
  n += await upsertRows(tx, correlationClusters, ['calculationId', 'method', 'clusterIndex'], clusterRows);
  return { rows: n, warnings: r.warnings, metrics: { symbols: r.names.length, clusters: r.clusters?.hierarchical.length ?? 0 } };
};
