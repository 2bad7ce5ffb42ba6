/**
 * Data quality from real trading-day counts. Expected counts come from the NYSE calendar and,
 * independently, from the bundled CSV dates (test/helpers/bundled-prices.ts), not from the service.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tradingDays } from '../../../core/market-data/calendar.ts';
import { getPortfolioDataQuality } from '../../../core/services/data-quality.ts';
import { createLogger } from '../../../core/logger.ts';
import type { Principal } from '../../../core/services/context.ts';
import { execCount } from '../../../db/exec.ts';
import { bundledSeries } from '../../helpers/bundled-prices.ts';
import { createTestDb, describeEachDb, type TestDb } from '../../helpers/db.ts';

const INDIVIDUAL = '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe';
const HEDGE = 'fcd71196-e93e-f000-5a74-31a9eead3118';
const alice: Principal = { userId: 'fd5f083c-6ffc-df32-89ca-a4044b5723f5', email: 'demo_individual@sigmasight.com', role: 'user' };
const log = createLogger({ level: 'silent' });

describeEachDb('portfolio data quality', (kind) => {
  let db: TestDb;
  let deps: { db: TestDb['db']; log: typeof log; clock: () => Date };
  beforeAll(async () => {
    db = await createTestDb(kind, { seeded: true });
    deps = { db: db.db, log, clock: () => new Date('2026-11-30T12:00:00Z') };
  });
  afterAll(() => db.destroy());

  it('on the bundled data every holding is full or proxied with 252 of 252 trading days', async () => {
    const q = await getPortfolioDataQuality(deps, alice, { portfolio_id: INDIVIDUAL });
    expect(q.assessment_date).toBe('2026-07-13'); // newest bundled close; the clock is later
    const spy = bundledSeries('SPY').dates;
    expect(tradingDays(spy[spy.length - 252]!, '2026-07-13')).toHaveLength(252);
    for (const s of q.symbols) {
      expect(s.days_needed).toBe(252);
      expect(s.days_available, s.symbol).toBe(252);
      expect(s.last_date).toBe('2026-07-13');
      expect(s.is_stale).toBe(false);
    }
    const byStatus = Object.fromEntries(q.symbols.map((s) => [s.symbol, s.status]));
    expect(byStatus).toMatchObject({ FXNAX: 'proxied', FCNTX: 'proxied', VTIAX: 'proxied', AAPL: 'full', MSFT: 'full' });
    expect(q.symbols.find((s) => s.symbol === 'FXNAX')).toMatchObject({ history_symbol: 'AGG', proxy_symbol: 'AGG', source: 'bundled' });
    expect(q.summary).toEqual({ total_positions: 16, complete_data: 16, partial_data: 0, insufficient_data: 0, data_coverage_percent: 100 });
    expect(q.factor_etf_coverage).toEqual({ complete: ['SPY', 'MTUM', 'VTV', 'VUG', 'QUAL', 'SIZE', 'USMV'], partial: [], missing: [] });
  });

  it('options are assessed on their underlying', async () => {
    const q = await getPortfolioDataQuality(deps, { ...alice, userId: (await owner(db, HEDGE)) }, { portfolio_id: HEDGE, check_factors: false });
    const vix = q.symbols.find((s) => s.symbol === 'VIX270120C00023000')!;
    expect(vix).toMatchObject({ role: 'option', history_symbol: 'VIX', days_available: 252, status: 'full' });
    expect(q.factor_etf_coverage).toBeNull();
  });

  it('early in the bundled history counts only the trading days that exist', async () => {
    // 2020-01-02 … 2020-03-02: 41 NYSE trading days, and 41 SPY rows in the bundled CSV.
    const expected = bundledSeries('SPY').dates.filter((d) => d <= '2020-03-02').length;
    expect(expected).toBe(41);
    expect(tradingDays('2020-01-02', '2020-03-02')).toHaveLength(41);
    const q = await getPortfolioDataQuality(deps, alice, { portfolio_id: INDIVIDUAL, as_of_date: '2020-03-01' });
    expect(q.assessment_date).toBe('2020-02-28'); // Sunday → the Friday before
    const aapl = q.symbols.find((s) => s.symbol === 'AAPL')!;
    expect(aapl).toMatchObject({ days_available: 40, status: 'limited', first_date: '2020-01-02' });
    expect(q.position_data_quality.partial_history).toContainEqual({ symbol: 'AAPL', days_available: 40, days_missing: 110 });
    expect(q.calculation_feasibility.factor_regression).toEqual({ feasible: false, positions_eligible: 0, positions_excluded: 16, min_days_required: 60 });
    expect(q.calculation_feasibility.correlation_matrix.feasible).toBe(true);
  });

  it('missing days lower the count by exactly the deleted trading days', async () => {
    const deleted = await execCount(db.db, sql`delete from market_prices where symbol = 'NVDA' and date between '2026-06-01' and '2026-06-30'`);
    expect(deleted).toBe(tradingDays('2026-06-01', '2026-06-30').length); // 21: Juneteenth closed
    const q = await getPortfolioDataQuality(deps, alice, { portfolio_id: INDIVIDUAL });
    const nvda = q.symbols.find((s) => s.symbol === 'NVDA')!;
    expect(nvda).toMatchObject({ days_available: 252 - 21, status: 'limited' });
    expect(q.position_data_quality.partial_history).toContainEqual({ symbol: 'NVDA', days_available: 129, days_missing: 21 });
  });

  it("another user's portfolio and a malformed id are NOT_FOUND", async () => {
    await expect(getPortfolioDataQuality(deps, alice, { portfolio_id: HEDGE })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getPortfolioDataQuality(deps, alice, { portfolio_id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

async function owner(db: TestDb, portfolioId: string): Promise<string> {
  const r = (await db.db.execute(sql`select user_id::text as u from portfolios where id = ${portfolioId}`)) as unknown as { rows?: { u: string }[] } & { u: string }[];
  return (r.rows ?? r)[0]!.u;
}
