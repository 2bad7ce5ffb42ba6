/**
 * The stored second-wave analyses of one batch run checked independently of the batch code:
 * replays, backtest P&L and VaR recomputed here from the bundled CSV closes
 * (data/market/prices_daily.csv) and the demo book; Euler components summing to their totals;
 * Monte Carlo VaR against the closed form of the same factor model; performance against numpy
 * (test/fixtures/performance-batch-numpy.json); and the report with its sections and charts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystemRun } from '../../core/batch/service.ts';
import { HistoricalReplaysPayloadSchema, MonteCarloPayloadSchema, PerformancePayloadSchema, RiskContributionsPayloadSchema, VarBacktestPayloadSchema } from '../../core/contracts/risk-analyses.ts';
import { createLogger } from '../../core/logger.ts';
import { getPerformance } from '../../core/services/analytics-analyses.ts';
import { queryRows } from '../../db/exec.ts';
import { latestAnalysis, type AnalysisKind } from '../../db/queries/risk-analyses.ts';
import { DEMO } from '../api/helpers.ts';
import { assertTextInside, assertWellFormed } from '../core/reports/charts-svg.ts';
import { batchDeps, DEMO_AS_OF, seededDb } from '../helpers/batch.ts';
import { bundledSeries } from '../helpers/bundled-prices.ts';
import type { TestDb } from '../helpers/db.ts';

/** Standard normal 0.99 quantile (scipy 1.17.1 `norm.ppf(0.99)`). */
const Z99 = 2.3263478740408408;
const IND = DEMO.individual.portfolioId;
const NUMPY = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/performance-batch-numpy.json'), 'utf8')) as {
  versions: Record<string, string>;
  portfolios: Record<string, { days: number; start_date: string; end_date: string; twr: number; annualized: number; comparisons: Record<string, Record<string, number>> }>;
};

// ── Independent plumbing over the CSV ─────────────────────────────────────────────────────────
const closeMaps = new Map<string, Map<string, number>>();
function closeOf(symbol: string, date: string): number {
  let m = closeMaps.get(symbol);
  if (!m) {
    const s = bundledSeries(symbol);
    closeMaps.set(symbol, (m = new Map(s.dates.map((d, i) => [d, s.closes[i]!] as const))));
  }
  const c = m.get(date);
  if (c === undefined) throw new Error(`${symbol}: no close on ${date}`);
  return c;
}
const onOrBefore = (symbol: string, date: string) => closeOf(symbol, bundledSeries(symbol).dates.filter((d) => d <= date).at(-1)!);
/** SPY's trading dates up to as_of: the calendar the analyses use. */
const CALENDAR = bundledSeries('SPY').dates.filter((d) => d <= DEMO_AS_OF);
const prevDate = (d: string) => CALENDAR[CALENDAR.indexOf(d) - 1]!;

interface Holding { id: string; symbol: string; quantity: number; entryPrice: number; entryDate: string; proxy: string | null }
/** The symbol whose closes move a holding (a fund's proxy) and its value per unit on a date. */
const sourceOf = (h: Holding) => h.proxy ?? h.symbol;
const unitValue = (h: Holding, d: string) => (h.proxy ? (h.entryPrice * closeOf(h.proxy, d)) / onOrBefore(h.proxy, h.entryDate) : closeOf(h.symbol, d));

/** numpy's default `np.quantile` (Hyndman–Fan type 7): linear interpolation at h = (n − 1)p of the sorted sample. */
function quantile7(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * ((s[lo + 1] ?? s[lo]!) - s[lo]!);
}
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('stored second-wave analyses against independent references [pglite]', () => {
  let db: TestDb;
  let reportsDir: string;
  let book: Holding[];
  const payload = async (portfolioId: string, kind: AnalysisKind) => (await latestAnalysis(db.db, portfolioId, kind, DEMO_AS_OF))!.payload;
  beforeAll(async () => {
    db = await seededDb('pglite');
    const deps = batchDeps(db);
    reportsDir = deps.reportsDir!;
    await startSystemRun(deps, { trigger: 'cli' });
    await deps.runner.idle();
    book = (await queryRows<{ id: string; symbol: string; quantity: string; entry_price: string; entry_date: string; proxy: string | null; type: string }>(db.db, sql`
      select id::text, symbol, quantity::text, entry_price::text, entry_date::text, proxy_symbol as proxy, position_type::text as type from positions where portfolio_id = ${IND}`))
      .map((r) => ({ id: r.id, symbol: r.symbol, quantity: Number(r.quantity), entryPrice: Number(r.entry_price), entryDate: r.entry_date, proxy: r.proxy }));
  }, 180_000);
  afterAll(() => db.destroy());

  it('(a) the Covid replay of the individual book: each holding moves by Σ value_today × (C_2020-03-23 / C_2020-02-19 − 1)', async () => {
    const covid = HistoricalReplaysPayloadSchema.parse(await payload(IND, 'historical_replays')).windows.find((w) => w.key === 'covid_crash')!;
    expect(covid).toMatchObject({ start_date: '2020-02-19', end_date: '2020-03-23', flagged_symbols: [] });
    const expected = book.map((h) => ({ h, pnl: h.quantity * unitValue(h, DEMO_AS_OF) * (closeOf(sourceOf(h), '2020-03-23') / closeOf(sourceOf(h), '2020-02-19') - 1) }));
    const stocks = expected.filter((e) => !e.h.proxy);
    expect(stocks.length).toBe(12);
    for (const { h, pnl } of expected) expect(Math.abs(covid.positions.find((p) => p.position_id === h.id)!.pnl - pnl), h.symbol).toBeLessThanOrEqual(0.01);
    const storedStocks = sum(covid.positions.filter((p) => stocks.some((e) => e.h.id === p.position_id)).map((p) => p.pnl));
    expect(Math.abs(storedStocks - sum(stocks.map((e) => e.pnl)))).toBeLessThanOrEqual(0.01 * stocks.length);
    expect(Math.abs(covid.total_pnl - sum(expected.map((e) => e.pnl)))).toBeLessThanOrEqual(0.01);
  });

  it('(b) risk contributions: components sum to their totals and the hedges are exactly the negative ones', async () => {
    for (const u of [DEMO.individual, DEMO.hnw, DEMO.hedge]) {
      const c = RiskContributionsPayloadSchema.parse(await payload(u.portfolioId, 'risk_contributions'));
      const p = c.parametric;
      const near = (parts: number[], total: number, what: string) => expect(Math.abs(sum(parts) - total), `${u.email} ${what}`).toBeLessThanOrEqual((parts.length + 1) * 0.005 + 1e-9);
      near(p.positions.map((x) => x.component_var), p.var_usd, 'position VaR');
      near(p.positions.map((x) => x.component_vol), p.vol_usd, 'position vol');
      near(p.underlyings.map((x) => x.component_var), p.var_usd, 'underlying VaR');
      expect(Math.abs(p.var_usd - Z99 * p.vol_usd)).toBeLessThanOrEqual(0.01);
      for (const x of p.positions) expect(Math.abs(x.exposure * x.marginal_vol - x.component_vol), x.symbol).toBeLessThanOrEqual(0.005 + Math.abs(x.marginal_vol) * 0.005 + 1e-9);
      const f = c.factors!;
      near([...f.factors.map((x) => x.component_var), f.residual.component_var], f.var_usd, 'factor VaR');
      near([...f.factors.map((x) => x.component_vol), f.residual.component_vol], f.vol_usd, 'factor vol');
      const h = c.historical!;
      near(h.positions.map((x) => x.component_es), h.es_usd, 'component ES');
      expect(h.es_usd).toBeGreaterThanOrEqual(h.var_usd);
      for (const x of [...p.positions, ...p.underlyings, ...f.factors]) expect(x.role, JSON.stringify(x)).toBe(x.component_vol < 0 ? 'hedges' : 'adds');
      for (const x of h.positions) expect(x.role, x.symbol).toBe(x.component_es < 0 ? 'hedges' : 'adds');
      expect([...c.hedges].sort()).toEqual(p.positions.filter((x) => x.component_vol < 0).map((x) => x.symbol).sort());
      expect(c.adds_risk[0]).toBe([...p.positions].sort((a, b) => b.component_vol - a.component_vol)[0]!.symbol);
    }
    // The individual book's 1-day vol: the sample standard deviation (n − 1) of its daily P&L over the last 252 CSV returns.
    const p = RiskContributionsPayloadSchema.parse(await payload(IND, 'risk_contributions')).parametric;
    const days = CALENDAR.slice(-253);
    const pnl = days.slice(1).map((d, t) => sum(p.positions.map((x) => x.exposure * (closeOf(x.underlying, d) / closeOf(x.underlying, days[t]!) - 1))));
    const mean = sum(pnl) / pnl.length;
    const sd = Math.sqrt(sum(pnl.map((v) => (v - mean) ** 2)) / (pnl.length - 1));
    expect(Math.abs(sd - p.vol_usd)).toBeLessThanOrEqual(0.01 + 1e-6 * sd); // exposures stored to the cent
  });

  it('(c) the backtest: 250 days, realised P&L from the CSV, exceptions where pnl < −VaR, and the last day\'s historical VaR by type-7 quantile', async () => {
    const b = VarBacktestPayloadSchema.parse(await payload(IND, 'var_backtest'));
    expect(b.window_days).toBe(250);
    expect(b.days).toHaveLength(250);
    expect(b.days.map((d) => d.date)).toEqual(CALENDAR.slice(-250));
    const heldAt = (d: string) => book.filter((h) => h.entryDate <= d);
    // The P&L of day d is the change over prev(d) → d of the book held at the close of prev(d): entries up to then only.
    for (const date of ['2025-07-25', '2026-03-31', DEMO_AS_OF]) {
      const t = prevDate(date);
      const pnl = sum(heldAt(t).map((h) => h.quantity * (unitValue(h, date) - unitValue(h, t))));
      expect(Math.abs(b.days.find((d) => d.date === date)!.pnl - pnl), date).toBeLessThanOrEqual(0.01);
    }
    // NVDA entered on 2025-07-25: that day's P&L is the book of the 24th, without it.
    expect(heldAt('2025-07-25').length - heldAt(prevDate('2025-07-25')).length).toBe(1);
    for (const l of b.levels) {
      const key = `${l.method}_${Math.round(l.confidence * 100)}` as 'historical_95';
      const broken = b.days.filter((d) => d[key] !== null && d.pnl < -d[key]!).map((d) => d.date);
      expect(l.exception_dates, key).toEqual(broken);
      expect(l.exceptions).toBe(broken.length);
      expect(l.expected).toBeCloseTo(l.days * (1 - l.confidence), 9);
      // Kupiec POF statistic, Kupiec (1995): −2 ln[(1 − p)^(T−x) p^x / ((1 − x/T)^(T−x) (x/T)^x)].
      const T = l.days, x = l.exceptions, q = 1 - l.confidence;
      const ll = (pr: number) => (T - x) * Math.log(1 - pr) + (x > 0 ? x * Math.log(pr) : 0);
      expect(l.kupiec_pof.statistic, key).toBeCloseTo(-2 * (ll(q) - ll(x / T)), 8);
      // Basel (1996) zones for 250 days at 99 %: green 0–4 exceptions, yellow 5–9, red 10+.
      if (l.confidence === 0.99) expect(l.traffic_light!.zone).toBe(x <= 4 ? 'green' : x <= 9 ? 'yellow' : 'red');
    }
    // The last forecast, made at the close of 2026-07-10: today's-book exposures on the 252 returns ending that close.
    const t = prevDate(DEMO_AS_OF);
    const window = CALENDAR.slice(CALENDAR.indexOf(t) - 252, CALENDAR.indexOf(t) + 1);
    const scen = window.slice(1).map((d, k) => sum(heldAt(t).map((h) => h.quantity * unitValue(h, t) * (closeOf(sourceOf(h), d) / closeOf(sourceOf(h), window[k]!) - 1))));
    const last = b.days.at(-1)!;
    expect(Math.abs(last.historical_99! - -quantile7(scen, 0.01))).toBeLessThanOrEqual(0.01);
    expect(Math.abs(last.historical_95! - -quantile7(scen, 0.05))).toBeLessThanOrEqual(0.01);
  });

  it('(d) Monte Carlo: the normal VaR 99 % of the option-free individual book lies within 3 CI half-widths of z × the factor model\'s vol', async () => {
    const mc = MonteCarloPayloadSchema.parse(await payload(IND, 'monte_carlo_var'));
    const f = RiskContributionsPayloadSchema.parse(await payload(IND, 'risk_contributions')).factors!;
    expect(mc.paths).toBe(10_000);
    for (const h of [1, 10]) {
      const run = mc.runs.find((r) => r.innovations === 'normal' && r.horizon_days === h)!;
      const l = run.levels.find((x) => x.confidence === 0.99)!;
      const closedForm = Z99 * f.vol_usd * Math.sqrt(h); // the same factor model, h-day moves scaled by √h
      const halfWidth = (l.var_ci[1] - l.var_ci[0]) / 2;
      expect(l.var_ci[0]).toBeLessThanOrEqual(l.var_usd);
      expect(l.var_ci[1]).toBeGreaterThanOrEqual(l.var_usd);
      expect(Math.abs(l.var_usd - closedForm), `${h}-day: ${l.var_usd} vs ${closedForm} ± ${halfWidth}`).toBeLessThanOrEqual(3 * halfWidth);
      expect(Math.abs(run.std_pnl / (f.vol_usd * Math.sqrt(h)) - 1)).toBeLessThan(0.03); // 10,000 draws: sd of the sd ≈ 0.7 %
      expect(l.cvar_usd).toBeGreaterThanOrEqual(l.var_usd);
    }
  });

  it(`(e) performance of each demo book equals numpy ${NUMPY.versions['numpy']} on the same NAVs (gen_performance_batch_numpy.py), and QQQ on request`, async () => {
    const pctClose = (stored: number | null, ref: number, what: string) => expect(Math.abs(stored! - 100 * ref), what).toBeLessThanOrEqual(0.005 + 1e-9);
    const relClose = (stored: number, ref: number, what: string) => expect(Math.abs(stored - ref), what).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref)));
    const check = (p: ReturnType<typeof PerformancePayloadSchema.parse>, id: string) => {
      const ref = NUMPY.portfolios[id]!;
      expect({ days: p.days, start: p.start_date, end: p.end_date }).toEqual({ days: ref.days, start: ref.start_date, end: ref.end_date });
      pctClose(p.twr_pct, ref.twr, 'twr');
      pctClose(p.annualized_pct, ref.annualized, 'annualized');
      for (const c of p.comparisons) {
        const r = ref.comparisons[c.benchmark]!;
        const what = `${id} vs ${c.benchmark}`;
        relClose(c.beta, r['beta']!, `${what} beta`);
        relClose(c.correlation, r['correlation']!, `${what} correlation`);
        relClose(c.information_ratio, r['information_ratio']!, `${what} IR`);
        pctClose(c.tracking_error_pct, r['tracking_error']!, `${what} TE`);
        pctClose(c.alpha_annual_pct, r['alpha_annual']!, `${what} alpha`);
        pctClose(c.benchmark_twr_pct, r['benchmark_twr']!, `${what} benchmark TWR`);
        pctClose(c.active_return_pct, r['active_return']!, `${what} active`);
        pctClose(c.up_capture_pct, r['up_capture']!, `${what} up capture`);
        pctClose(c.down_capture_pct, r['down_capture']!, `${what} down capture`);
      }
    };
    for (const u of [DEMO.individual, DEMO.hnw, DEMO.hedge]) {
      const p = PerformancePayloadSchema.parse(await payload(u.portfolioId, 'performance'));
      expect(p.comparisons.map((c) => c.benchmark)).toEqual(['SPY']);
      check(p, u.portfolioId);
    }
    const deps = { db: db.db, log: createLogger({ level: 'silent' }), clock: () => new Date(`${DEMO_AS_OF}T22:00:00Z`) };
    const withQqq = await getPerformance(deps, { userId: DEMO.individual.userId, email: DEMO.individual.email, role: 'user' }, IND, { symbols: 'qqq' });
    expect(withQqq.performance!.comparisons.map((c) => c.benchmark)).toEqual(['SPY', 'QQQ']);
    check(withQqq.performance!, IND);
  });

  it('the batch measures a book against its own benchmark (QQQ set on the portfolio) and keeps its figures against numpy', async () => {
    const [before] = await queryRows<{ b: string | null }>(db.db, sql`select benchmark_symbol as b from portfolios where id = ${IND}`);
    await db.db.execute(sql`update portfolios set benchmark_symbol = 'QQQ' where id = ${IND}`);
    try {
      const deps = batchDeps(db, { reportsDir });
      await startSystemRun(deps, { trigger: 'cli', portfolioIds: [IND], skipReports: true });
      await deps.runner.idle();
      const p = PerformancePayloadSchema.parse(await payload(IND, 'performance'));
      expect(p.benchmark).toBe('QQQ');
      expect(p.comparisons.map((c) => c.benchmark)).toEqual(['QQQ']);
      const ref = NUMPY.portfolios[IND]!.comparisons['QQQ']!;
      expect(Math.abs(p.comparisons[0]!.beta - ref['beta']!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref['beta']!)));
    } finally {
      await db.db.execute(sql`update portfolios set benchmark_symbol = ${before!.b} where id = ${IND}`);
    }
  }, 120_000);

  it('the hedge-fund report has the five new sections and the three new charts, well formed and unclipped', async () => {
    const dir = join(reportsDir, 'demo-hedge-fund-style-investor-portfolio-fcd71196', DEMO_AS_OF);
    const md = readFileSync(join(dir, 'portfolio_report.md'), 'utf8');
    for (const h of ['### VaR Backtest', '### Historical Replays', '### Risk Contributions', '### Monte Carlo VaR', '### Performance']) expect(md).toContain(h);
    const c = RiskContributionsPayloadSchema.parse(await payload(DEMO.hedge.portfolioId, 'risk_contributions'));
    expect(md).toContain(`Parametric 1-day VaR $${Math.round(c.parametric.var_usd).toLocaleString('en-US')};`);
    const b = VarBacktestPayloadSchema.parse(await payload(DEMO.hedge.portfolioId, 'var_backtest'));
    const h99 = b.levels.find((l) => l.method === 'historical' && l.confidence === 0.99)!;
    expect(md).toMatch(new RegExp(`\\| historical \\| 99 % \\| ${h99.exceptions} \\| 2\\.5 \\|.*\\| ${h99.traffic_light!.zone} \\|`));
    for (const f of ['var-backtest.svg', 'historical-replays.svg', 'risk-contributions.svg']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
      expect(md).toContain(`](${f})`);
      const svg = readFileSync(join(dir, f), 'utf8');
      assertWellFormed(svg);
      assertTextInside(svg);
    }
    const bars = readFileSync(join(dir, 'risk-contributions.svg'), 'utf8').match(/<rect /g) ?? [];
    expect(bars).toHaveLength(c.parametric.underlyings.length);
  });
});
