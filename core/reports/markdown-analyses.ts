/**
 * Report sections of the second-wave analyses (stored `risk_analyses` payloads of the report's
 * date): VaR backtest, historical replays, risk contributions, Monte Carlo VaR and performance,
 * with the charts that go beside them.
 */
import type { HistoricalReplaysPayload, MonteCarloPayload, PerformancePayload, RiskContributionsPayload, VarBacktestPayload } from '../contracts/risk-analyses.ts';
import { barChartSvg, lineChartSvg, varBacktestChartSvg } from './charts.ts';

export interface ReportAnalyses {
  backtest: VarBacktestPayload | null;
  replays: HistoricalReplaysPayload | null;
  contributions: RiskContributionsPayload | null;
  monteCarlo: MonteCarloPayload | null;
  performance: PerformancePayload | null;
}

const usd = (x: number | null | undefined): string => (x == null ? 'n/a' : x.toLocaleString('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 0, maximumFractionDigits: 0 }));
const pct = (x: number | null | undefined): string => (x == null ? 'n/a' : `${x.toFixed(2)} %`);
const p3 = (x: number) => x.toFixed(3);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

function backtest(b: VarBacktestPayload | null): string[] {
  const out = ['### VaR Backtest', ''];
  if (!b) return [...out, 'No backtest for this date.'];
  out.push(`${b.window_days} trading days, ${b.start_date} → ${b.end_date}; each forecast from the ${b.estimation_days} returns before its day.`, '');
  out.push('| Method | Confidence | Exceptions | Expected | Kupiec p | Christoffersen ind. p | Cond. coverage p | Basel zone |', '|---|---:|---:|---:|---:|---:|---:|---|');
  for (const l of b.levels) {
    out.push(`| ${l.method.replace('_', ' ')} | ${(l.confidence * 100).toFixed(0)} % | ${l.exceptions} | ${l.expected.toFixed(1)} | ${p3(l.kupiec_pof.p_value)} (${l.kupiec_pof.verdict}) | ${p3(l.christoffersen_independence.p_value)} | ${p3(l.christoffersen_conditional_coverage.p_value)} (${l.christoffersen_conditional_coverage.verdict}) | ${l.traffic_light?.zone ?? '—'} |`);
  }
  out.push('', '![Daily P&L against −VaR, exceptions marked](var-backtest.svg)');
  return out;
}

function replays(r: HistoricalReplaysPayload | null): string[] {
  const out = ['### Historical Replays (today\'s holdings)', ''];
  if (!r || !r.windows.length) return [...out, 'No replays for this date.'];
  out.push('Real market windows from the stored history applied to today\'s book (the stress catalogue\'s crisis scenarios are hypothetical factor shocks).', '');
  out.push('| Window | Dates | P&L | % of NAV | Worst day | Peak-to-trough | Flagged |', '|---|---|---:|---:|---|---:|---|');
  for (const w of r.windows) {
    out.push(`| ${cell(w.name)} | ${w.start_date} → ${w.end_date} | ${usd(w.total_pnl)} | ${pct(w.total_pct)} | ${w.worst_day ? `${w.worst_day.date} ${usd(w.worst_day.pnl)}` : 'n/a'} | ${w.peak_to_trough ? usd(-w.peak_to_trough.drawdown_usd) : 'n/a'} | ${w.flagged_symbols.join(', ') || '—'} |`);
  }
  out.push('', '![Cumulative P&L of each replayed window](historical-replays.svg)');
  return out;
}

function contributions(c: RiskContributionsPayload | null): string[] {
  const out = ['### Risk Contributions (Euler, 99 %)', ''];
  if (!c) return [...out, 'No risk contributions for this date.'];
  out.push(`Parametric 1-day VaR ${usd(c.parametric.var_usd)}; components sum to it.${c.historical ? ` Historical ES ${usd(c.historical.es_usd)}.` : ''}`, '');
  out.push('| Underlying | Component VaR | Share | Role |', '|---|---:|---:|---|');
  for (const u of [...c.parametric.underlyings].sort((a, b) => Math.abs(b.component_var) - Math.abs(a.component_var)).slice(0, 12)) out.push(`| ${cell(u.underlying)} | ${usd(u.component_var)} | ${pct(u.share_pct)} | ${u.role} |`);
  if (c.factors) {
    out.push('', '| Factor | Component VaR | Share |', '|---|---:|---:|');
    for (const f of c.factors.factors) out.push(`| ${f.factor} | ${usd(f.component_var)} | ${pct(f.share_pct)} |`);
    out.push(`| Residual | ${usd(c.factors.residual.component_var)} | ${pct(c.factors.residual.share_pct)} |`);
  }
  out.push('', `Adds the most risk: ${c.adds_risk.join(', ') || '—'}. Hedges: ${c.hedges.join(', ') || 'none'}.`, '', '![Component VaR by underlying](risk-contributions.svg)');
  return out;
}

function monteCarlo(m: MonteCarloPayload | null): string[] {
  const out = ['### Monte Carlo VaR', ''];
  if (!m) return [...out, 'No Monte Carlo VaR for this date.'];
  out.push(`${m.paths.toLocaleString('en-US')} paths, seed ${m.seed}, options repriced on every path.`, '', '| Innovations | Horizon | VaR 95 % | CVaR 95 % | VaR 99 % (95 % CI) | CVaR 99 % |', '|---|---:|---:|---:|---:|---:|');
  for (const r of m.runs) {
    const a = r.levels.find((l) => l.confidence === 0.95), b = r.levels.find((l) => l.confidence === 0.99);
    out.push(`| ${r.innovations === 'normal' ? 'normal' : `Student-t (ν = ${r.dof})`} | ${r.horizon_days} d | ${usd(a?.var_usd)} | ${usd(a?.cvar_usd)} | ${usd(b?.var_usd)} (${usd(b?.var_ci[0])} – ${usd(b?.var_ci[1])}) | ${usd(b?.cvar_usd)} |`);
  }
  return out;
}

function performance(p: PerformancePayload | null): string[] {
  const out = ['### Performance', ''];
  if (!p) return [...out, 'No performance for this date (fewer than four daily NAVs).'];
  out.push(`${p.start_date} → ${p.end_date} (${p.days} days): time-weighted return ${pct(p.twr_pct)}, annualised ${pct(p.annualized_pct)}.`, '');
  out.push('| Benchmark | Its return | Alpha (ann.) | Beta | Tracking error | Information ratio | Up capture | Down capture |', '|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const b of p.comparisons) out.push(`| ${b.benchmark} | ${pct(b.benchmark_twr_pct)} | ${pct(b.alpha_annual_pct)} | ${b.beta.toFixed(3)} | ${pct(b.tracking_error_pct)} | ${b.information_ratio.toFixed(2)} | ${pct(b.up_capture_pct)} | ${pct(b.down_capture_pct)} |`);
  return out;
}

export function renderAnalysesMarkdown(a: ReportAnalyses): string[] {
  return ['## Advanced Risk', '', ...backtest(a.backtest), '', ...replays(a.replays), '', ...contributions(a.contributions), '', ...monteCarlo(a.monteCarlo), '', ...performance(a.performance)];
}

/** The charts of the sections above, by file name (only those with data). */
export function analysesCharts(name: string, asOf: string, a: ReportAnalyses): Record<string, string> {
  const out: Record<string, string> = {};
  const b = a.backtest;
  if (b) {
    const method = 'historical';
    const ex = (c: number) => new Set(b.levels.find((l) => l.method === method && l.confidence === c)?.exception_dates ?? []);
    const e95 = ex(0.95), e99 = ex(0.99);
    out['var-backtest.svg'] = varBacktestChartSvg(`${name}: daily P&L against −VaR (${b.start_date} → ${b.end_date})`, b.days.map((d) => ({ date: d.date, pnl: d.pnl, var95: d.historical_95, var99: d.historical_99, exception95: e95.has(d.date), exception99: e99.has(d.date) })), { method });
  }
  if (a.replays?.windows.length) {
    out['historical-replays.svg'] = lineChartSvg(`${name}: today's book through past windows (${asOf})`, a.replays.windows.map((w) => ({ name: w.name, points: w.path.map((p, i) => ({ x: String(i + 1), y: p.cumulative_pnl })) })), { yCaption: 'cumulative P&L, USD' });
  }
  if (a.contributions) {
    out['risk-contributions.svg'] = barChartSvg(`${name}: component VaR 99 % by underlying (${asOf})`, a.contributions.parametric.underlyings.map((u) => ({ label: u.underlying, value: u.component_var })), { axisCaption: 'component VaR, USD' });
  }
  return out;
}
