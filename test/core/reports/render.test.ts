/** Report rendering from a hand-built result set: slug rule, JSON precision by field, the 34-column CSV, SVG bars, the second-wave sections. */
import { describe, expect, it } from 'vitest';
import { HistoricalReplaysPayloadSchema, MonteCarloPayloadSchema, PerformancePayloadSchema, RiskContributionsPayloadSchema, VarBacktestPayloadSchema } from '../../../core/contracts/risk-analyses.ts';
import { barChartSvg } from '../../../core/reports/charts.ts';
import { CSV_COLUMNS, renderCsv, renderJson } from '../../../core/reports/json-csv.ts';
import { renderMarkdown } from '../../../core/reports/markdown.ts';
import { analysesCharts } from '../../../core/reports/markdown-analyses.ts';
import { portfolioSlug, type ReportData } from '../../../core/reports/report-data.ts';

const data = {
  portfolio: { id: 'p1', name: 'Demo Hedge Fund Style Investor Portfolio', createdAt: new Date('2026-01-01T00:00:00Z') },
  asOf: '2026-07-13', generatedAt: '2026-07-14T12:00:00.000Z',
  exposures: { grossExposure: 150_000, netExposure: 50_000, longExposure: 100_000, shortExposure: -50_000, deltaAdjNet: 50_000, notional: 150_000, nav: 60_000, positionCount: 2, warnings: ['stale prices (older than 3 trading days): XOM'] },
  snapshot: null, risk: null, correlation: null, scenarios: [],
  factors: [{ name: 'Market Beta', key: 'Market', category: 'style', beta: 1.2345678, exposureDollar: 80_000, coveragePct: 100 }],
  stress: [{ id: 'market_down_10', name: 'Market Decline 10%', category: 'market', directPnl: -8000, correlatedPnl: -8000, correlationEffect: 0, pnlPctNav: -0.1333 }],
  positions: [
    { id: 'a', symbol: 'AAPL', positionType: 'LONG', quantity: 500, entryPrice: 190, entryDate: '2025-07-01', exitDate: null, underlyingSymbol: null, strikePrice: null, expirationDate: null, notes: 'core, "long"', price: 200, marketValue: 100_000, costBasis: 95_000, unrealizedPnl: 5_000, deltaAdj: 100_000, delta: null, gamma: null, theta: null, vega: null, rho: null, sector: 'Technology', industry: 'Hardware', tags: 'Core;Tech' },
    { id: 'x', symbol: 'XOM', positionType: 'SHORT', quantity: -500, entryPrice: 110, entryDate: '2025-07-01', exitDate: null, underlyingSymbol: null, strikePrice: null, expirationDate: null, notes: null, price: 100, marketValue: -50_000, costBasis: -55_000, unrealizedPnl: 5_000, deltaAdj: -50_000, delta: null, gamma: null, theta: null, vega: null, rho: null, sector: 'Energy', industry: 'Oil', tags: '' },
  ],
  analyses: sampleAnalyses(),
} as unknown as ReportData;

/**
 * Second-wave payloads for the same two-position book (AAPL +100,000, XOM −50,000 USD), parsed by
 * their contracts so the sample stays in shape. Contributions: σ_AAPL = 2,000, σ_XOM = 900 USD/day,
 * ρ = 0.6, z₉₉ = 2.3263479 (scipy 1.17.1 norm.ppf): σ_p = 1,627.88, components 1,793.74 and −165.86
 * (XOM hedges). Backtest: 4 days, one exception on 2026-07-10; Kupiec and Christoffersen from
 * scipy.stats.chi2.sf (scipy 1.17.1, numpy 2.4.6).
 */
function sampleAnalyses() {
  const lr = (statistic: number, df: number, p: number) => ({ statistic, df, p_value: p, verdict: p < 0.05 ? 'reject' : 'pass' });
  const ind = lr(1.0464963, 1, 0.3063154);
  const level = (confidence: number, kup: [number, number], cc: [number, number]) => ({
    method: 'historical', confidence, days: 4, exceptions: 1, expected: 4 * (1 - confidence), exception_dates: ['2026-07-10'],
    kupiec_pof: lr(kup[0], 1, kup[1]), christoffersen_independence: ind, christoffersen_conditional_coverage: lr(cc[0], 2, cc[1]),
    traffic_light: confidence === 0.99 ? { zone: 'green', plus_factor: null, cumulative_probability: 0.99940797 } : null,
  });
  const day = (date: string, pnl: number) => ({ date, pnl, historical_95: 2700, historical_99: 3800, parametric_95: 2680, parametric_99: 3790, monte_carlo_95: 2690, monte_carlo_99: 3810 });
  const backtest = VarBacktestPayloadSchema.parse({
    window_days: 4, estimation_days: 252, start_date: '2026-07-08', end_date: '2026-07-13', monte_carlo_paths: 2000,
    levels: [level(0.95, [1.8005432, 0.1796468], [2.8470394, 0.2408647]), level(0.99, [4.7719612, 0.0289269], [5.8184575, 0.0545178])],
    days: [day('2026-07-08', 500), day('2026-07-09', -1200), day('2026-07-10', -4100), day('2026-07-13', 800)],
    conventions: 'forecast at the close before each day from the 252 returns before it', warnings: [],
  });
  const path = [{ date: '2020-02-20', cumulative_pnl: -400 }, { date: '2020-03-16', cumulative_pnl: -9_400 }, { date: '2020-03-23', cumulative_pnl: -7_500 }];
  const replays = HistoricalReplaysPayloadSchema.parse({
    nav: 60_000, conventions: 'each position moves as its symbol did', warnings: [],
    windows: [{
      key: 'covid_crash', name: 'Covid crash', start_date: '2020-02-19', end_date: '2020-03-23', trading_days: 23, total_pnl: -7_500, total_pct: -12.5,
      vol_ratio: 4.2, rate_change_bp: -80, worst_day: { date: '2020-03-16', pnl: -9_000 }, flagged_symbols: [],
      peak_to_trough: { peak_date: '2020-02-19', trough_date: '2020-03-16', drawdown_usd: 9_400, drawdown_pct: -15.67 },
      positions: [{ position_id: 'a', symbol: 'AAPL', pnl: -30_000, source_return_pct: -30, method: 'history' }, { position_id: 'x', symbol: 'XOM', pnl: 22_500, source_return_pct: -45, method: 'history' }],
      path,
    }],
  });
  const comp = (c: number) => ({ component_vol: c, component_var: c * 2.3263479, share_pct: (100 * c) / 1627.8821, role: c < 0 ? 'hedges' : 'adds' });
  const contributions = RiskContributionsPayloadSchema.parse({
    confidence: 0.99, window_days: 252, adds_risk: ['AAPL'], hedges: ['XOM'], warnings: [],
    parametric: {
      vol_usd: 1627.8821, var_usd: 1627.8821 * 2.3263479,
      positions: [
        { position_id: 'a', symbol: 'AAPL', underlying: 'AAPL', exposure: 100_000, marginal_vol: 0.017937417, ...comp(1793.7417) },
        { position_id: 'x', symbol: 'XOM', underlying: 'XOM', exposure: -50_000, marginal_vol: 0.003317194, ...comp(-165.8597) },
      ],
      underlyings: [{ underlying: 'AAPL', ...comp(1793.7417) }, { underlying: 'XOM', ...comp(-165.8597) }],
    },
    factors: { vol_usd: 1600, var_usd: 1600 * 2.3263479, factors: [{ factor: 'Market', exposure: 55_000, ...comp(1400) }], residual: { component_vol: 200, component_var: 200 * 2.3263479, share_pct: 12.5 } },
    historical: { var_usd: 3900, es_usd: 4500, positions: [{ position_id: 'a', symbol: 'AAPL', component_es: 4900, share_pct: 108.89, role: 'adds' }, { position_id: 'x', symbol: 'XOM', component_es: -400, share_pct: -8.89, role: 'hedges' }] },
  });
  const monteCarlo = MonteCarloPayloadSchema.parse({
    paths: 10_000, seed: 42, factors: ['Market'], conventions: 'factor model, options repriced', warnings: [],
    runs: [{ innovations: 'normal', dof: null, horizon_days: 1, mean_pnl: 0, std_pnl: 1620, levels: [
      { confidence: 0.95, var_usd: 2660, cvar_usd: 3340, var_ci: [2600, 2720], cvar_ci: [3270, 3410] },
      { confidence: 0.99, var_usd: 3770, cvar_usd: 4320, var_ci: [3650, 3890], cvar_ci: [4180, 4460] },
    ] }],
  });
  const performance = PerformancePayloadSchema.parse({
    start_date: '2025-07-11', end_date: '2026-07-13', days: 252, stored_days: 252, twr_pct: 12, annualized_pct: 12, benchmark: 'SPY', conventions: 'TWR from daily NAVs', warnings: [],
    comparisons: [{ benchmark: 'SPY', benchmark_twr_pct: 10, active_return_pct: 2, alpha_annual_pct: 2.5, beta: 0.9, correlation: 0.85, tracking_error_pct: 5, information_ratio: 0.4, up_capture_pct: 95, down_capture_pct: 85 }],
  });
  return { backtest, replays, contributions, monteCarlo, performance };
}

describe('report rendering', () => {
  it('slugs names as reports.md §1 says', () => {
    expect(portfolioSlug('Demo Hedge Fund Style Investor Portfolio')).toBe('demo-hedge-fund-style-investor-portfolio');
    expect(portfolioSlug('  Ünïcode & Co. -- 2026 ')).toBe('n-code-co-2026');
  });

  it('JSON carries decimals as strings with precision by field, not by magnitude', () => {
    const j = renderJson(data) as { version: string; calculation_engines: Record<string, { data: unknown }>; positions_summary: unknown };
    expect(j.version).toBe('2.0');
    expect(j.calculation_engines['factor_analysis']!.data).toEqual([expect.objectContaining({ exposure_value: '1.234568', exposure_dollar: '80000.00' })]);
    expect(j.calculation_engines['stress_testing']!.data).toEqual([expect.objectContaining({ direct_pnl: '-8000.00', pnl_impact: '-8000.00' })]);
    expect(j.positions_summary).toEqual({ count: 2, long_count: 1, short_count: 1, options_count: 0, stock_count: 2 });
  });

  it('CSV has the 34 fixed columns, quotes fields and weights by gross exposure', () => {
    expect(CSV_COLUMNS).toHaveLength(34);
    const lines = renderCsv(data).trim().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('"core, ""long"""');
    const xom = lines[2]!.split(',');
    expect(xom[CSV_COLUMNS.indexOf('market_value')]).toBe('-50000.00');
    expect(xom[CSV_COLUMNS.indexOf('portfolio_weight')]).toBe('33.3333'); // 50,000 / 150,000 × 100
  });

  it('Markdown names the data-quality warnings and the stress table; SVG has one bar per value', () => {
    const md = renderMarkdown(data);
    expect(md).toContain('# Portfolio Report: Demo Hedge Fund Style Investor Portfolio');
    expect(md).toContain('| Market Decline 10% | market | -8.0 | -13.33 % |');
    expect(md).toContain('- stale prices (older than 3 trading days): XOM');
    const svg = barChartSvg('t <&>', [{ label: 'A', value: 10 }, { label: 'B', value: -5 }]);
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('t &lt;&amp;&gt;');
    expect(svg).toContain('fill="#c0392b"');
  });

  it('Markdown renders the five second-wave sections from their payloads, and their three charts', () => {
    const md = renderMarkdown(data);
    for (const h of ['### VaR Backtest', '### Historical Replays', '### Risk Contributions', '### Monte Carlo VaR', '### Performance']) expect(md).toContain(h);
    expect(md).toContain('| historical | 99 % | 1 | 0.0 | 0.029 (reject) | 0.306 | 0.055 (pass) | green |');
    expect(md).toContain('| Covid crash | 2020-02-19 → 2020-03-23 | -$7,500 | -12.50 % | 2020-03-16 -$9,000 | -$9,400 | — |');
    expect(md).toContain('Parametric 1-day VaR $3,787;'); // 1,627.88 × 2.3263 = 3,787.02
    expect(md).toContain('| XOM | -$386 | -10.19 % | hedges |');
    expect(md).toContain('Hedges: XOM.');
    expect(md).toContain('| normal | 1 d | $2,660 | $3,340 | $3,770 ($3,650 – $3,890) | $4,320 |');
    expect(md).toContain('| SPY | 10.00 % | 2.50 % | 0.900 | 5.00 % | 0.40 | 95.00 % | 85.00 % |');
    const charts = analysesCharts('Demo', '2026-07-13', data.analyses);
    expect(Object.keys(charts).sort()).toEqual(['historical-replays.svg', 'risk-contributions.svg', 'var-backtest.svg']);
    for (const svg of Object.values(charts)) expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
    expect(charts['risk-contributions.svg']!.match(/<rect /g)).toHaveLength(2);
    const j = renderJson(data) as { calculation_engines: Record<string, { available: boolean; data: unknown }> };
    expect(j.calculation_engines['risk_contributions']).toMatchObject({ available: true, data: { var_usd: '3787.02', hedges: ['XOM'] } });
    expect(j.calculation_engines['historical_replays']).toMatchObject({ available: true, data: [expect.objectContaining({ key: 'covid_crash', pnl: '-7500.00' })] });
  });
});
