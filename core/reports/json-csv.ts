/** JSON (reports.md §4, decimals as strings with precision by field) and CSV (§5, 34 columns) renderings. */
import { fmt, type ReportData } from './report-data.ts';

const OPTION = new Set(['LC', 'LP', 'SC', 'SP']);

/** Renders the JSON report object. */
export function renderJson(d: ReportData): Record<string, unknown> {
  const e = d.exposures, s = d.snapshot, c = d.correlation, r = d.risk;
  return {
    version: '2.0',
    metadata: {
      portfolio_id: d.portfolio.id, portfolio_name: d.portfolio.name, report_date: d.asOf, anchor_date: d.asOf, generated_at: d.generatedAt,
      precision_policy: { monetary: 2, greeks: 4, correlations: 6, factor_exposures: 6 },
    },
    portfolio_info: { id: d.portfolio.id, name: d.portfolio.name, created_at: d.portfolio.createdAt.toISOString(), position_count: d.positions.length },
    calculation_engines: {
      portfolio_snapshot: { available: !!s, data: s && { date: s.asOf, nav: fmt.money(s.nav), daily_pnl: fmt.money(s.dailyPnl), daily_return: fmt.stat(s.dailyReturn), cumulative_pnl: fmt.money(s.cumulativePnl) }, description: 'NAV-based daily snapshot' },
      position_exposures: {
        available: !!e, description: 'signed exposures; short kept negative',
        data: e && { gross: fmt.money(e.grossExposure), net: fmt.money(e.netExposure), long: fmt.money(e.longExposure), short: fmt.money(e.shortExposure), delta_adjusted_net: fmt.money(e.deltaAdjNet), notional: fmt.money(e.notional), nav: fmt.money(e.nav), warnings: e.warnings },
      },
      greeks_aggregation: { available: !!s, data: s && { dollar_delta: fmt.money(s.dollarDelta), dollar_gamma_1pct: fmt.money(s.dollarGamma1pct), theta_dollars_per_day: fmt.money(s.thetaDollarsPerDay), vega_dollars_per_vol_pt: fmt.money(s.vegaDollarsPerVolPt), rho_dollars_per_pct: fmt.money(s.rhoDollarsPerPct) }, description: 'summed position dollar Greeks' },
      factor_analysis: { available: d.factors.length > 0, count: d.factors.length, description: 'independent univariate betas per factor ETF (non-additive)', data: d.factors.map((f) => ({ factor_name: f.name, category: f.category, exposure_value: fmt.stat(f.beta), exposure_dollar: fmt.money(f.exposureDollar), coverage_pct: fmt.money(f.coveragePct), calculation_date: d.asOf })) },
      correlation_analysis: { available: !!c, description: '63-day log-return correlations', data: c && { calculation_date: c.asOf, overall_correlation: fmt.stat(c.overallCorrelation), correlation_concentration_score: fmt.stat(c.concentrationScore), effective_positions: fmt.stat(c.effectivePositions), diversification_score: fmt.stat(c.diversificationScore), positions_included: c.includedCount } },
      risk_metrics: { available: !!r, description: 'historical-simulation VaR of today\'s exposures', data: r && { var95_1d: fmt.money(r.var95OneDay), var99_1d: fmt.money(r.var99OneDay), es99_1d: fmt.money(r.cvar99OneDay), parametric_var99_1d: fmt.money(r.parametricVar99OneDay), vol_annual: fmt.stat(r.volAnnual), max_drawdown: fmt.stat(r.maxDrawdown), beta_to_spy: fmt.stat(r.betaToSpy) } },
      market_scenarios: { available: d.scenarios.length > 0, data: d.scenarios.map((m) => ({ scenario: m.scenarioKey, type: m.scenarioType, shock: m.shockValue, pnl_linear: fmt.money(m.pnlLinear), pnl_full_reval: fmt.money(m.pnlFullReval) })), description: 'market (beta) and rate (bp) shocks' },
      var_backtest: { available: !!d.analyses.backtest, description: 'forecasts of the last 250 days against the next day\'s P&L', data: d.analyses.backtest && { start_date: d.analyses.backtest.start_date, end_date: d.analyses.backtest.end_date, days: d.analyses.backtest.window_days, levels: d.analyses.backtest.levels.map((l) => ({ method: l.method, confidence: l.confidence, exceptions: l.exceptions, expected: l.expected, kupiec_p: fmt.stat(l.kupiec_pof.p_value), conditional_coverage_p: fmt.stat(l.christoffersen_conditional_coverage.p_value), zone: l.traffic_light?.zone ?? null })) } },
      historical_replays: { available: !!d.analyses.replays?.windows.length, description: 'real market windows on today\'s holdings', data: d.analyses.replays?.windows.map((w) => ({ key: w.key, name: w.name, start_date: w.start_date, end_date: w.end_date, pnl: fmt.money(w.total_pnl), pct_nav: w.total_pct, worst_day: w.worst_day })) ?? [] },
      risk_contributions: { available: !!d.analyses.contributions, description: 'Euler components of 99 % VaR', data: d.analyses.contributions && { var_usd: fmt.money(d.analyses.contributions.parametric.var_usd), underlyings: d.analyses.contributions.parametric.underlyings.map((u) => ({ underlying: u.underlying, component_var: fmt.money(u.component_var), share_pct: u.share_pct })), adds_risk: d.analyses.contributions.adds_risk, hedges: d.analyses.contributions.hedges } },
      monte_carlo_var: { available: !!d.analyses.monteCarlo, description: 'factor-model Monte Carlo, options repriced', data: d.analyses.monteCarlo?.runs.map((r) => ({ innovations: r.innovations, dof: r.dof, horizon_days: r.horizon_days, levels: r.levels.map((l) => ({ confidence: l.confidence, var: fmt.money(l.var_usd), cvar: fmt.money(l.cvar_usd) })) })) ?? [] },
      performance: { available: !!d.analyses.performance, description: 'time-weighted return and benchmark-relative figures', data: d.analyses.performance && { twr_pct: d.analyses.performance.twr_pct, comparisons: d.analyses.performance.comparisons } },
      stress_testing: { available: d.stress.length > 0, scenario_count: d.stress.length, description: 'direct P&L from dollar factor exposures', data: d.stress.map((x) => ({ scenario_id: x.id, scenario_name: x.name, category: x.category, direct_pnl: fmt.money(x.directPnl), correlated_pnl: fmt.money(x.correlatedPnl), correlation_effect: fmt.money(x.correlationEffect), pnl_impact: fmt.money(x.correlatedPnl) })) },
    },
    positions_summary: {
      count: d.positions.length,
      long_count: d.positions.filter((p) => ['LONG', 'LC', 'LP'].includes(p.positionType)).length,
      short_count: d.positions.filter((p) => ['SHORT', 'SC', 'SP'].includes(p.positionType)).length,
      options_count: d.positions.filter((p) => OPTION.has(p.positionType)).length,
      stock_count: d.positions.filter((p) => !OPTION.has(p.positionType)).length,
    },
  };
}

export const CSV_COLUMNS = [
  'position_id', 'symbol', 'position_type', 'quantity', 'entry_price', 'current_price', 'market_value', 'cost_basis',
  'unrealized_pnl', 'realized_pnl', 'daily_pnl', 'total_pnl', 'delta', 'gamma', 'theta', 'vega', 'rho',
  'underlying_symbol', 'strike_price', 'expiration_date', 'days_to_expiry', 'entry_date', 'exit_date', 'sector', 'industry', 'tags', 'notes',
  'portfolio_name', 'report_date', 'gross_exposure', 'net_exposure', 'notional', 'portfolio_weight', 'position_exposure',
] as const;

const cell = (v: unknown): string => {
  const s = v == null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Renders the CSV: one row per position in symbol order, fixed 34-column order. Daily P&L per position is not stored (blank). */
export function renderCsv(d: ReportData): string {
  const gross = d.exposures?.grossExposure ?? 0;
  const lines = d.positions.map((p) => {
    const days = p.expirationDate ? Math.round((Date.parse(p.expirationDate) - Date.parse(d.asOf)) / 86_400_000) : null;
    return [
      p.id, p.symbol, p.positionType, p.quantity.toFixed(4), fmt.money(p.entryPrice), fmt.money(p.price ?? p.entryPrice), fmt.money(p.marketValue), fmt.money(p.costBasis),
      fmt.money(p.unrealizedPnl), '0.00', '', fmt.money(p.unrealizedPnl), fmt.greek(p.delta), fmt.greek(p.gamma), fmt.greek(p.theta), fmt.greek(p.vega), fmt.greek(p.rho),
      p.underlyingSymbol, fmt.money(p.strikePrice), p.expirationDate, days, p.entryDate, p.exitDate, p.sector, p.industry, p.tags, p.notes,
      d.portfolio.name, d.asOf, fmt.money(d.exposures?.grossExposure), fmt.money(d.exposures?.netExposure), fmt.money(d.exposures?.notional),
      gross > 0 && p.marketValue != null ? ((Math.abs(p.marketValue) / gross) * 100).toFixed(4) : '', fmt.money(p.deltaAdj),
    ].map(cell).join(',');
  });
  return [CSV_COLUMNS.join(','), ...lines].join('\n') + '\n';
}
