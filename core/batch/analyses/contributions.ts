/**
 * Euler risk contributions of today's book at 99 %: parametric (delta-normal, the sample
 * covariance of the symbols' 252 returns) per position and per underlying (an option and its
 * stock together); per factor of the style risk model plus the residual; and historical
 * component expected shortfall with options fully repriced in each of the 252 scenarios. Every
 * set of components sums to its total; a positive component adds risk, a negative one hedges.
 */
import { denseMatrix, fromColumns } from '../../../engines/common/dense-matrix.ts';
import { sampleCovariance } from '../../../engines/covariance/sample-covariance.ts';
import { historicalComponentEs } from '../../../engines/risk/component-es.ts';
import { factorContributions, parametricContributions } from '../../../engines/risk/euler-contributions.ts';
import { revalueBook } from '../../../engines/risk/risk-book.ts';
import type { RiskContributionsPayload } from '../../contracts/risk-analyses.ts';
import type { RunMarket } from '../run-market.ts';
import type { LabelledBook } from './book-at.ts';
import type { StyleRiskModel } from './style-model.ts';

export const CONTRIBUTION_CONFIDENCE = 0.99;
const r2 = (x: number) => Math.round(x * 100) / 100;
const pct = (part: number, total: number) => (total === 0 ? 0 : Math.round((part / total) * 1e4) / 100);
const roleOf = (x: number) => (x < 0 ? ('hedges' as const) : ('adds' as const));

export function riskContributions(lb: LabelledBook, m: RunMarket, model: StyleRiskModel | null): RiskContributionsPayload | null {
  const warnings: string[] = [];
  const keep = lb.labels.map((l) => m.returns.has(l.source));
  const left = lb.labels.filter((_, i) => !keep[i]).map((l) => l.symbol);
  if (left.length) warnings.push(`left out (no full ${m.dates.length - 1}-day return window): ${left.join(', ')}`);
  for (const x of lb.excluded) warnings.push(`left out: ${x.symbol} (${x.reason})`);
  const idx = lb.labels.flatMap((_, i) => (keep[i] ? [i] : []));
  if (!idx.length) return null;
  const sources = [...new Set(idx.map((i) => lb.labels[i]!.source))].sort();
  const sIndex = new Map(sources.map((s, i) => [s, i] as const));
  const panel = fromColumns(sources.map((s) => m.returns.get(s)!));
  const cov = sampleCovariance(panel, sources).matrix;
  const exposures = Float64Array.from(idx, (i) => lb.exposures[i]!);
  const p = parametricContributions({ covariance: cov, exposuresUsd: exposures, sourceIndex: Int32Array.from(idx, (i) => sIndex.get(lb.labels[i]!.source)!), confidence: CONTRIBUTION_CONFIDENCE });

  const positions = idx.map((i, j) => ({
    position_id: lb.labels[i]!.positionId, symbol: lb.labels[i]!.symbol, underlying: lb.labels[i]!.source, exposure: r2(exposures[j]!),
    marginal_vol: p.marginalVol[j]!, component_vol: r2(p.componentVol[j]!), component_var: r2(p.componentVar[j]!), share_pct: pct(p.componentVol[j]!, p.volUsd), role: roleOf(p.componentVol[j]!),
  }));
  const underlyings = p.bySource.map((b) => ({ underlying: sources[b.source]!, component_vol: r2(b.componentVol), component_var: r2(b.componentVar), share_pct: pct(b.componentVol, p.volUsd), role: roleOf(b.componentVol) }));

  let factors: RiskContributionsPayload['factors'] = null;
  if (model) {
    const k = model.factors.length;
    const b = new Float64Array(k);
    let resid = 0;
    const bySource = new Float64Array(sources.length);
    idx.forEach((i, j) => (bySource[sIndex.get(lb.labels[i]!.source)!]! += exposures[j]!));
    const unmodelled: string[] = [];
    sources.forEach((s, si) => {
      const l = model.loadings.get(s);
      if (!l) return void unmodelled.push(s);
      for (let f = 0; f < k; f++) b[f]! += bySource[si]! * l[f]!;
      resid += (bySource[si]! * (model.residualVol.get(s) ?? 0)) ** 2;
    });
    if (unmodelled.length) warnings.push(`no factor loadings (left out of the factor decomposition): ${unmodelled.join(', ')}`);
    const fc = factorContributions({ factorCovariance: model.covariance, factorExposuresUsd: b, residualVarianceUsd2: resid, confidence: CONTRIBUTION_CONFIDENCE });
    factors = {
      vol_usd: r2(fc.volUsd), var_usd: r2(fc.varUsd),
      factors: fc.perFactor.map((f, j) => ({ factor: model.factors[j]!, exposure: r2(b[j]!), component_vol: r2(f.componentVol), component_var: r2(f.componentVar), share_pct: pct(f.componentVol, fc.volUsd), role: roleOf(f.componentVol) })),
      residual: { component_vol: r2(fc.residual.componentVol), component_var: r2(fc.residual.componentVar), share_pct: pct(fc.residual.componentVol, fc.volUsd) },
    };
  }

  // Historical: each of the window's days applied to today's book, options repriced in full.
  const book = { linear: lb.book.linear.filter((h) => m.returns.has(h.source)), options: lb.book.options.filter((o) => m.returns.has(o.source)) };
  const labels = [...book.linear, ...book.options];
  const T = m.dates.length - 1;
  const pnl = new Float64Array(T * labels.length);
  const move = new Map<string, number>();
  for (let t = 0; t < T; t++) {
    for (const s of sources) move.set(s, m.returns.get(s)![t]!);
    pnl.set(revalueBook(book, { returns: move }).perHolding, t * labels.length);
  }
  let historical: RiskContributionsPayload['historical'] = null;
  if (T >= 20) {
    const es = historicalComponentEs(denseMatrix(pnl, T, labels.length), CONTRIBUTION_CONFIDENCE);
    const symbolOf = new Map(lb.labels.map((l) => [l.positionId, l.symbol] as const));
    historical = {
      var_usd: r2(es.varUsd), es_usd: r2(es.esUsd),
      positions: labels.map((h, i) => ({ position_id: h.id, symbol: symbolOf.get(h.id) ?? h.source, component_es: r2(es.componentEs[i]!), share_pct: pct(es.componentEs[i]!, es.esUsd), role: roleOf(es.componentEs[i]!) })),
    };
  }
  const ranked = [...positions].sort((a, b) => b.component_vol - a.component_vol);
  return {
    confidence: CONTRIBUTION_CONFIDENCE, window_days: T,
    parametric: { vol_usd: r2(p.volUsd), var_usd: r2(p.varUsd), positions, underlyings },
    factors, historical,
    adds_risk: ranked.filter((x) => x.component_vol > 0).slice(0, 5).map((x) => x.symbol),
    hedges: ranked.filter((x) => x.component_vol < 0).reverse().map((x) => x.symbol),
    warnings,
  };
}
