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
import { correlationCalculations, correlationClusters, pairwiseCorrelations } from '../../../db/schema/index.ts';
import { denseMatrix } from '../../../engines/common/dense-matrix.ts';
import { correlationClusters as clusterize, type CorrelationCluster } from '../../../engines/correlation/clustering.ts';
import { correlationMatrix } from '../../../engines/correlation/correlation-matrix.ts';
import { correlationPairs } from '../../../engines/correlation/correlation-pairs.ts';
import { diversification } from '../../../engines/correlation/diversification.ts';
import { exposureBySymbol } from './risk.ts';
import type { PortfolioPhase } from '../types.ts';

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

export const correlationsPhase: PortfolioPhase = async (tx, run, state) => {
  const m = run.market!;
  const { symbols: all, exposures: allExp, excluded } = exposureBySymbol(state, m);
  const keep = all.map((s, i) => ({ s, w: allExp[i]! })).filter(({ s }) => {
    const r = m.returns.get(s)!.subarray(-CORRELATION_WINDOW);
    return r.some((v) => v !== r[0]);
  });
  const names = keep.map((k) => k.s);
  const weights = keep.map((k) => k.w);
  const T = CORRELATION_WINDOW;
  const data = new Float64Array(names.length * T);
  names.forEach((s, i) => {
    const c = m.windowCloses.get(s)!.subarray(-(T + 1));
    for (let t = 0; t < T; t++) data[i * T + t] = Math.log(c[t + 1]! / c[t]!);
  });
  const params = { windowReturns: T, returns: 'log', threshold: CLUSTER_THRESHOLD, weights: 'signed delta-adjusted exposure per symbol' };
  const warnings = excluded.length ? [`excluded (no return window): ${excluded.join(', ')}`] : [];
  const gross = weights.reduce((a, w) => a + Math.abs(w), 0);
  const cm = names.length >= 2 ? correlationMatrix(denseMatrix(data, names.length, T), names) : null;
  const div = cm && gross > 0 ? diversification(cm.rho, weights.map(Math.abs)) : null;
  const eff = cm && gross > 0 ? diversification(cm.rho, weights) : null;
  const cl = cm ? clusterize(cm.rho, names, CLUSTER_THRESHOLD) : null;
  const pairs = cm ? correlationPairs(cm) : [];
  const defined = pairs.filter((p) => p.rho !== null);
  const weight = new Map(names.map((s, i) => [s, weights[i]!]));
  const inClusters = new Set(cl?.hierarchical.flatMap((c) => c.members) ?? []);
  const fields = {
    symbols: names, runId: run.runId,
    overallCorrelation: defined.length ? defined.reduce((a, p) => a + Math.abs(p.rho!), 0) / defined.length : null,
    diversificationScore: div?.diversificationScore ?? null, effectivePositions: eff?.effectivePositions ?? null,
    concentrationScore: gross > 0 ? names.filter((s) => inClusters.has(s)).reduce((a, s) => a + Math.abs(weight.get(s)!), 0) / gross : null,
    includedCount: names.length, excludedCount: excluded.length + (all.length - names.length),
    params: { ...params, hhiEffectivePositions: div?.hhiEffectivePositions ?? null }, warnings,
  };
  const [calc] = await tx
    .insert(correlationCalculations)
    .values({ portfolioId: state.id, asOf: run.asOf, windowDays: T, ...fields })
    .onConflictDoUpdate({ target: [correlationCalculations.portfolioId, correlationCalculations.asOf, correlationCalculations.windowDays], set: fields })
    .returning({ id: correlationCalculations.id });
  const id = calc!.id;
  await tx.delete(pairwiseCorrelations).where(eq(pairwiseCorrelations.calculationId, id));
  await tx.delete(correlationClusters).where(eq(correlationClusters.calculationId, id));
  let n = 1 + (await upsertRows(tx, pairwiseCorrelations, ['calculationId', 'symbolA', 'symbolB'], pairs.map((p) => ({ calculationId: id, symbolA: p.a, symbolB: p.b, correlation: p.rho, dataPoints: p.n, pValue: p.pValue }))));
  const sectors = await sectorsOf(tx, names);
  const clusterRows = (['hierarchical', 'components'] as const).flatMap((method) =>
    (cl?.[method] ?? []).map((c, i) => ({
      calculationId: id, method, clusterIndex: i, nickname: nickname(c, sectors, weight), members: c.members, avgCorrelation: c.avgCorrelation,
      grossValue: Math.round(c.members.reduce((a, s) => a + Math.abs(weight.get(s)!), 0) * 100) / 100,
    })),
  );
  n += await upsertRows(tx, correlationClusters, ['calculationId', 'method', 'clusterIndex'], clusterRows);
  return { rows: n, warnings, metrics: { symbols: names.length, clusters: cl?.hierarchical.length ?? 0 } };
};
