/** Analytics read services over hand-chosen stored results: latest-date selection, provenance, unit conversions, filters and pagination. */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import { getCorrelationMatrix, getDiversificationScore } from '../../../core/services/analytics-correlation.ts';
import { getFactorExposures, getPositionFactorExposures } from '../../../core/services/analytics-factors.ts';
import { getOverview } from '../../../core/services/analytics-overview.ts';
import { getGreeks, getMarketRisk, getRiskMetrics, getSnapshots } from '../../../core/services/analytics-risk.ts';
import { getStressTest } from '../../../core/services/analytics-stress.ts';
import type { Principal, ServiceDeps } from '../../../core/services/context.ts';
import { portfolioExposures, positions } from '../../../db/schema/index.ts';
import { createTestDb, describeEachDb, type TestDb } from '../../helpers/db.ts';
import { D1, D2, HEDGE, INDIVIDUAL, insertResults, POS } from './results-fixture.ts';

const hedge: Principal = { userId: 'b13cd6e9-6a6e-c644-8a44-e710b2868e54', email: 'demo_hedgefundstyle@sigmasight.com', role: 'user' };
const individual: Principal = { userId: 'fd5f083c-6ffc-df32-89ca-a4044b5723f5', email: 'demo_individual@sigmasight.com', role: 'user' };
const hnw: Principal = { userId: '9dacfb0f-2123-7a94-debc-0f982b90d845', email: 'demo_hnw@sigmasight.com', role: 'user' };
const HNW = 'e23ab931-a033-edfe-ed4f-9d02474780b4';

describeEachDb('analytics read services', (kind) => {
  let db: TestDb;
  let deps: ServiceDeps;
  let runId: string;
  let oldRunId: string;
  beforeAll(async () => {
    db = await createTestDb(kind, { seeded: true });
    ({ runId, oldRunId } = await insertResults(db.db));
    deps = { db: db.db, log: createLogger({ level: 'silent' }), clock: () => new Date('2026-07-13T21:00:00Z') };
  });
  afterAll(() => db.destroy());

  it('overview reads the latest exposures with percentages of equity and stored unrealized P&L', async () => {
    const o = await getOverview(deps, hedge, HEDGE);
    expect(o).toMatchObject({ available: true, as_of: D2, run_id: runId, total_value: 2_000_000, cash_balance: 400_000, last_updated: '2026-07-13T23:00:00.000Z' });
    expect(o.exposures).toEqual({ long_exposure: 2_600_000, short_exposure: 1_000_000, gross_exposure: 3_600_000, net_exposure: 1_600_000, long_percentage: 130, short_percentage: 50, gross_percentage: 180, net_percentage: 80 });
    expect(o.pnl).toEqual({ total_pnl: 10_000, unrealized_pnl: 10_000, realized_pnl: 0 }); // 10 000 − 2 000 + 500 + 1 500
    expect(o.position_count).toEqual({ total_positions: 30, long_count: 13, short_count: 9, option_count: 1 });
    expect(o.data_quality).toEqual({ stale: true, stale_symbols: ['NFLX'], proxied: false, proxied_symbols: [], unpriced: false, unpriced_symbols: [] });
  });

  it('correlation matrix orders by gross value, nulls pairs under min_overlap, truncates to max_symbols', async () => {
    const m = await getCorrelationMatrix(deps, hedge, HEDGE, { lookback_days: 90, min_overlap: 30, max_symbols: 25 });
    expect(m.available).toBe(true);
    expect(Object.keys(m.data!.matrix)).toEqual(['NVDA', 'MSFT', 'NFLX']);
    expect(m.data!.matrix['NVDA']).toEqual({ NVDA: 1, MSFT: 0.8, NFLX: 0.3 });
    expect(m.data!.matrix['MSFT']!['NFLX']).toBeNull();
    expect(m.data!.average_correlation).toBeCloseTo(0.55, 12);
    const two = await getCorrelationMatrix(deps, hedge, HEDGE, { lookback_days: 90, min_overlap: 10, max_symbols: 2 });
    expect(Object.keys(two.data!.matrix)).toEqual(['NVDA', 'MSFT']);
    const other = await getCorrelationMatrix(deps, hedge, HEDGE, { lookback_days: 120, min_overlap: 30, max_symbols: 25 });
    expect(other).toMatchObject({ available: false, data: null, metadata: { reason: 'no_calculation_available' } });
    await expect(getCorrelationMatrix(deps, hedge, HEDGE, { lookback_days: 30, min_overlap: 60, max_symbols: 25 })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('diversification score is Σ wᵢwⱼ|ρᵢⱼ| / Σ wᵢwⱼ over the defined pairs with gross-value weights', async () => {
    const w = { NVDA: 100_000, MSFT: 50_000, NFLX: 30_000 };
    const d30 = await getDiversificationScore(deps, hedge, HEDGE, { lookback_days: 90, min_overlap: 30 });
    expect(d30.portfolio_correlation).toBeCloseTo((w.NVDA * w.MSFT * 0.8 + w.NVDA * w.NFLX * 0.3) / (w.NVDA * w.MSFT + w.NVDA * w.NFLX), 12);
    const d10 = await getDiversificationScore(deps, hedge, HEDGE, { lookback_days: 90, min_overlap: 10 });
    expect(d10.portfolio_correlation).toBeCloseTo((4000e6 + 900e6 + 300e6) / (5000e6 + 3000e6 + 1500e6), 12);
    expect(d10).toMatchObject({ available: true, symbols_included: 3, calculation_date: D2, run_id: runId });
  });

  it('factor exposures take the latest complete date, display order, and the market model for Market Beta', async () => {
    const f = await getFactorExposures(deps, hedge, HEDGE);
    expect(f).toMatchObject({ available: true, calculation_date: D2, run_id: runId, metadata: { factor_model: '7-factor', calculation_method: 'market+style' } });
    expect(f.factors.map((x) => x.name)).toEqual(['Market Beta', 'Momentum', 'Value', 'Growth', 'Quality', 'Size', 'Low Volatility']);
    expect(f.factors[0]).toMatchObject({ model: 'market', beta: 0.9, exposure_dollar: 90_000 });
    const ind = await getFactorExposures(deps, individual, INDIVIDUAL);
    expect(ind).toMatchObject({ available: true, calculation_date: D1, run_id: oldRunId });
    expect(ind.data_quality).toMatchObject({ proxied: true, proxied_symbols: ['FCNTX→VUG', 'FMAGX→IWF', 'FXNAX→AGG', 'VTIAX→VXUS'] });
  });

  it('position factor exposures page over every open position in symbol order and filter by symbols', async () => {
    const page = await getPositionFactorExposures(deps, hedge, HEDGE, { limit: 2, offset: 0 });
    expect(page).toMatchObject({ available: true, total: 30, limit: 2, offset: 0, calculation_date: D2 });
    expect(page.positions.map((p) => p.symbol)).toEqual(['AAPL', 'AAPL270219P00185000']);
    const nvda = await getPositionFactorExposures(deps, hedge, HEDGE, { limit: 50, offset: 0, symbols: 'nvda, msft' });
    expect(nvda.total).toBe(2);
    expect(nvda.positions).toEqual([
      { position_id: POS.MSFT, symbol: 'MSFT', exposures: { 'Market Beta': 1.05 } },
      { position_id: POS.NVDA, symbol: 'NVDA', exposures: { 'Market Beta': 1.7, Value: -0.4 } },
    ]);
    await expect(getPositionFactorExposures(deps, hedge, HEDGE, { limit: 5, offset: 0, symbols: 'A;B' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('stress test reports correlated P&L against the snapshot NAV, sorted by category then name, filterable', async () => {
    const s = await getStressTest(deps, hedge, HEDGE, {});
    expect(s.data!.portfolio_value).toBe(2_000_000);
    expect(s.data!.scenarios.map((x) => x.id)).toEqual(['covid_crash_2020', 'market_down_10']);
    expect(s.data!.scenarios[1]!.impact).toEqual({ dollar_impact: -180_000, percentage_impact: -9, new_portfolio_value: 1_820_000, direct_dollar_impact: -150_000 });
    const one = await getStressTest(deps, hedge, HEDGE, { scenarios: 'COVID_CRASH_2020' });
    expect(one.data!.scenarios.map((x) => x.id)).toEqual(['covid_crash_2020']);
    expect(one.metadata).toEqual({ scenarios_requested: ['covid_crash_2020'] });
  });

  it('Greeks, market risk, risk metrics and snapshots read their stored rows with units stated', async () => {
    const g = await getGreeks(deps, hedge, HEDGE);
    expect(g.totals).toMatchObject({ dollar_delta: 35_000, theta_dollars_per_day: -120, option_count: 2 });
    const mr = await getMarketRisk(deps, hedge, HEDGE);
    expect(mr.scenarios.map((x) => [x.scenario, x.pnl_linear, x.pnl_pct_nav])).toEqual([['market_down_10', -160_000, -8], ['rates_up_100bp', -20_000, -1]]);
    const r = await getRiskMetrics(deps, hedge, HEDGE, {});
    expect(r).toMatchObject({ available: true, metadata: { lookback_days: 252, available_windows: [252, 90] }, risk_metrics: { annualized_volatility: 0.18, var_95_1d: 30_000, max_drawdown: -0.12, portfolio_beta: 0.85 } });
    expect((await getRiskMetrics(deps, hedge, HEDGE, { lookback_days: 90 })).risk_metrics!.annualized_volatility).toBe(0.21);
    expect(await getRiskMetrics(deps, hedge, HEDGE, { lookback_days: 60 })).toMatchObject({ available: false, metadata: { reason: 'no_results_for_window' } });
    const snaps = await getSnapshots(deps, hedge, HEDGE, { limit: 252 });
    expect(snaps.snapshots.map((x) => [x.date, x.nav])).toEqual([['2026-07-09', 1_950_000], [D1, 1_900_000], [D2, 2_000_000]]);
    expect((await getSnapshots(deps, hedge, HEDGE, { start_date: D1, end_date: D1, limit: 5 })).snapshots.map((x) => x.date)).toEqual([D1]);
    await expect(getSnapshots(deps, hedge, HEDGE, { start_date: D2, end_date: D1, limit: 5 })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('answers available: false with a reason before any results exist, and NOT_FOUND for a foreign portfolio', async () => {
    expect(await getOverview(deps, hnw, HNW)).toMatchObject({ available: false, reason: 'no_results', as_of: null, run_id: null });
    expect(await getStressTest(deps, hnw, HNW, {})).toMatchObject({ available: false, metadata: { reason: 'no_results' } });
    expect(await getGreeks(deps, hnw, HNW)).toMatchObject({ available: false, reason: 'no_results' });
    await expect(getOverview(deps, hnw, HEDGE)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getRiskMetrics(deps, individual, HEDGE, {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('overview adds realized P&L of positions closed by the as-of date and takes proxies from the holdings when no valuations are stored', async () => {
    await db.db.insert(portfolioExposures).values({ portfolioId: INDIVIDUAL, asOf: D1, nav: 500_000, cash: 0, longExposure: 500_000, shortExposure: 0, grossExposure: 500_000, netExposure: 500_000, positionCount: 16, longCount: 16, shortCount: 0, runId: oldRunId });
    const pick = async (symbol: string) => (await db.db.select().from(positions).where(and(eq(positions.portfolioId, INDIVIDUAL), eq(positions.symbol, symbol))))[0]!;
    const [fxnax, fcntx] = [await pick('FXNAX'), await pick('FCNTX')];
    // FXNAX sold 10 above its entry before D1 (counts); FCNTX sold after D1 (does not)
    await db.db.update(positions).set({ exitPrice: fxnax.entryPrice + 10, exitDate: '2026-07-07' }).where(eq(positions.id, fxnax.id));
    await db.db.update(positions).set({ exitPrice: fcntx.entryPrice + 10, exitDate: '2026-07-12' }).where(eq(positions.id, fcntx.id));
    try {
      const o = await getOverview(deps, individual, INDIVIDUAL);
      expect(o).toMatchObject({ available: true, as_of: D1, run_id: oldRunId, total_value: 500_000, last_updated: '2026-07-10T23:00:00.000Z' });
      expect(o.pnl).toEqual({ total_pnl: Math.round(fxnax.quantity * 1000) / 100, unrealized_pnl: 0, realized_pnl: Math.round(fxnax.quantity * 1000) / 100 });
      expect(o.position_count).toEqual({ total_positions: 16, long_count: 16, short_count: 0, option_count: 0 });
      expect(o.data_quality).toEqual({ stale: false, stale_symbols: [], proxied: true, proxied_symbols: ['FCNTX→VUG', 'FMAGX→IWF', 'FXNAX→AGG', 'VTIAX→VXUS'], unpriced: false, unpriced_symbols: [] });
      await expect(getOverview(deps, hedge, INDIVIDUAL)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(getOverview(deps, individual, 'not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      for (const p of [fxnax, fcntx]) await db.db.update(positions).set({ exitPrice: p.exitPrice, exitDate: p.exitDate }).where(eq(positions.id, p.id));
      await db.db.delete(portfolioExposures).where(eq(portfolioExposures.portfolioId, INDIVIDUAL));
    }
  });
});
