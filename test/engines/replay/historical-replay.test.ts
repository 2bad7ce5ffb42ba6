import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayWindow, type ReplayMarket } from '../../../engines/replay/historical-replay.ts';
import { NAMED_REPLAY_WINDOWS } from '../../../engines/replay/windows.ts';
import type { OptionHolding, RiskBook } from '../../../engines/risk/risk-book.ts';
import { bundledPrices, bundledYields } from '../../helpers/bundled-prices.ts';

const MARKET_DIR = join(import.meta.dirname, '../../../data/market');

/** VIX closes by date from data/market/vix_daily.csv (date,symbol,open,high,low,close). */
function vixByDate(): Map<string, number> {
  const lines = readFileSync(join(MARKET_DIR, 'vix_daily.csv'), 'utf8').trim().split('\n');
  const head = lines[0]!.split(',');
  const iClose = head.indexOf('close');
  return new Map(lines.slice(1).map((l) => { const f = l.split(','); return [f[0]!, Number(f[iClose])] as const; }));
}

/** Market of a window from the bundled CSVs: SPY's trading dates from start to end inclusive. */
function bundledMarket(start: string, end: string, symbols: readonly string[], factorBetas?: ReplayMarket['factorBetas']): ReplayMarket {
  const prices = bundledPrices();
  const dates = prices.get('SPY')!.dates.filter((d) => d >= start && d <= end);
  const closes = new Map<string, Float64Array>();
  for (const s of symbols) {
    const series = prices.get(s)!;
    const byDate = new Map(series.dates.map((d, i) => [d, series.closes[i]!] as const));
    closes.set(s, Float64Array.from(dates, (d) => byDate.get(d) ?? Number.NaN));
  }
  const vix = vixByDate();
  const tnxSeries = bundledYields().get('^TNX')!;
  const tnx = new Map(tnxSeries.dates.map((d, i) => [d, tnxSeries.closes[i]!] as const));
  return {
    dates, closes, vix: Float64Array.from(dates, (d) => vix.get(d) ?? Number.NaN), tenYearPct: Float64Array.from(dates, (d) => tnx.get(d) ?? Number.NaN),
    ...(factorBetas ? { factorBetas } : {}),
  };
}

/** Closes of one symbol on one date, read straight from prices_daily.csv (date,symbol,adj_close). */
let pricesCsv: string[] | null = null;
function csvClose(symbol: string, date: string): number {
  pricesCsv ??= readFileSync(join(MARKET_DIR, 'prices_daily.csv'), 'utf8').split('\n');
  const line = pricesCsv.find((l) => l.startsWith(`${date},${symbol},`));
  if (!line) throw new Error(`no close for ${symbol} on ${date}`);
  return Number(line.split(',')[2]);
}

const rel = (a: number, b: number, tol: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe('named replay windows', () => {
  test('exactly the five catalogue windows', () => {
    expect(NAMED_REPLAY_WINDOWS.map(({ key, name, start, end }) => [key, name, start, end])).toEqual([
      ['covid_crash', 'Covid crash', '2020-02-19', '2020-03-23'],
      ['rates_bear_2022', '2022 rates and bear market', '2022-01-03', '2022-10-12'],
      ['regional_banks_2023', 'Regional banks', '2023-03-08', '2023-03-15'],
      ['carry_unwind_2024', 'Carry unwind', '2024-07-16', '2024-08-05'],
      ['tariff_shock_2025', 'Tariff shock', '2025-04-02', '2025-04-08'],
    ]);
    for (const w of NAMED_REPLAY_WINDOWS) expect(w.description.length).toBeGreaterThan(20);
  });
  test('every window has bundled trading dates at its start and end', () => {
    const spy = new Set(bundledPrices().get('SPY')!.dates);
    for (const w of NAMED_REPLAY_WINDOWS) expect([spy.has(w.start), spy.has(w.end)]).toEqual([true, true]);
  });
});

describe('replay of a stock-only book over the Covid crash', () => {
  const book: RiskBook = {
    linear: [
      { id: 'a', source: 'AAPL', valueUsd: 250_000 }, { id: 'm', source: 'MSFT', valueUsd: 180_000 },
      { id: 'x', source: 'XOM', valueUsd: -60_000 }, { id: 's', source: 'SPY', valueUsd: 400_000 }, { id: 'z', source: 'ZM', valueUsd: 30_000 },
    ],
    options: [],
  };
  const market = bundledMarket('2020-02-19', '2020-03-23', ['AAPL', 'MSFT', 'XOM', 'SPY', 'ZM']);
  const out = replayWindow(book, 1_000_000, market);
  test('total = Σ value × (C_2020-03-23 / C_2020-02-19 − 1) from the CSV rows (1e-9)', () => {
    let want = 0;
    for (const h of book.linear) want += h.valueUsd * (csvClose(h.source, '2020-03-23') / csvClose(h.source, '2020-02-19') - 1);
    rel(out.totalPnlUsd, want, 1e-9);
    rel(out.totalPct!, (want / 1_000_000) * 100, 1e-9);
    book.linear.forEach((h, i) => rel(out.holdings[i]!.pnlUsd, h.valueUsd * (csvClose(h.source, '2020-03-23') / csvClose(h.source, '2020-02-19') - 1), 1e-9));
  });
  test('23 trading days after the base; path ends at the total; day P&Ls sum to it', () => {
    expect(out.tradingDays).toBe(23);
    expect(out.path).toHaveLength(23);
    expect(out.path.at(-1)!.cumulativePnlUsd).toBe(out.totalPnlUsd);
    rel(out.path.reduce((s, p) => s + p.dayPnlUsd, 0), out.totalPnlUsd, 1e-9);
    expect(out.holdings.every((h) => h.method === 'history')).toBe(true);
    expect([out.proxied, out.unmoved]).toEqual([[], []]);
    // VIX 14.38 → 61.59, ^TNX 1.570 → 0.764 (data/market files)
    rel(out.volRatio!, 61.59 / 14.38, 1e-12);
    rel(out.rateChangeBp!, (0.764 - 1.57) * 100, 1e-9);
  });
});

describe('replay of an option book vs numpy/scipy (test/fixtures/replay-numpy.json)', () => {
  // Reference: python3 test/fixtures/gen_replay_numpy.py (numpy 2.4.6, scipy 1.17.1), BSM with
  // scipy.stats.norm, VIX ratio and ^TNX change carried forward; tolerance 1e-9 relative (USD).
  const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/replay-numpy.json'), 'utf8')) as {
    versions: Record<string, string>; book: { linear: RiskBook['linear']; options: OptionHolding[] };
    factorBetas: Record<string, Record<string, number>>; closeSymbols: string[];
    windows: Record<string, { start: string; end: string; dates: string[]; cumulativePnlUsd: number[]; holdingPnlUsd: number[]; sourceReturnEnd: Record<string, number>; volRatio: number; rateChangeBp: number }>;
  };
  const betas = new Map(Object.entries(fx.factorBetas));
  test.each(Object.keys(fx.windows))('%s: path, holdings, VIX ratio and rate change', (key) => {
    const w = fx.windows[key]!;
    const market = bundledMarket(w.start, w.end, fx.closeSymbols, betas);
    expect(market.dates).toEqual(w.dates);
    const out = replayWindow(fx.book, 2_000_000, market);
    expect(out.path.map((p) => p.date)).toEqual(w.dates.slice(1));
    out.path.forEach((p, t) => rel(p.cumulativePnlUsd, w.cumulativePnlUsd[t]!, 1e-9));
    out.holdings.forEach((h, i) => {
      rel(h.pnlUsd, w.holdingPnlUsd[i]!, 1e-9);
      rel(h.sourceReturn, w.sourceReturnEnd[h.source]!, 1e-12);
    });
    rel(out.volRatio!, w.volRatio, 1e-12);
    rel(out.rateChangeBp!, w.rateChangeBp, 1e-9);
    expect(out.holdings.map((h) => h.method)).toEqual(['history', 'history', 'history', 'factor_proxy', 'unmoved', 'history', 'history', 'history', 'factor_proxy']);
    expect([out.proxied, out.unmoved]).toEqual([['FUNDX'], ['NOHIST']]);
  });
});
