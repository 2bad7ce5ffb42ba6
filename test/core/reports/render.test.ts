/** Report rendering from a hand-built result set: slug rule, JSON precision by field, the 34-column CSV, SVG bars. */
import { describe, expect, it } from 'vitest';
import { barChartSvg } from '../../../core/reports/charts.ts';
import { CSV_COLUMNS, renderCsv, renderJson } from '../../../core/reports/json-csv.ts';
import { renderMarkdown } from '../../../core/reports/markdown.ts';
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
} as unknown as ReportData;

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
});
