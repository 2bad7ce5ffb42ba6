/**
 * Acceptance: a user's own book through REST, recomputed after each change and checked against
 * an independent computation. A fresh user creates a portfolio (opening equity 100,000) and adds
 * a long stock, a short stock and a long SPY call by parts; the debounced recompute runs once per
 * burst of changes. The stored exposures are checked against quantities × the bundled closes read
 * here from data/market/prices_daily.csv (not through the product's price queries), the option's
 * inputs and Greeks against test/fixtures/book-option-scipy.json (numpy/scipy, generated once by
 * test/fixtures/gen_book_option_scipy.py). Closing the short changes today's results and leaves
 * the 2026-07-10 snapshot as it was; every change is in the audit trail with door 'rest'.
 * The book, the reference and the app are in rest-book-fixtures.ts; what edits to the book do
 * afterwards is in rest-book-edits.test.ts.
 */
import { beforeAll, expect, it } from 'vitest';
import type { BatchServiceDeps } from '../../core/batch/service.ts';
import { describeEachDb } from '../helpers/db.ts';
import {
  AAPL, CALL, CALL_SYMBOL, close, EARLIER, expectedExposures, near, OPENING_EQUITY, REF, relNear, TODAY, TSLA, TSLA_EXIT, USD_TOL, useOwnBook,
} from './rest-book-fixtures.ts';

describeEachDb('own book through REST, recomputed, checked against an independent computation', (kind) => {
  let batch: BatchServiceDeps;
  let pid: string;
  const ids: Record<'aapl' | 'tsla' | 'call', string> = { aapl: '', tsla: '', call: '' };
  let earlierSnapshot: any;
  let overviewBeforeClose: any;
  const book = useOwnBook(kind, { pid: () => pid });
  const { ok, P, A, changeRuns, recomputed } = book;
  beforeAll(() => {
    ({ batch } = book);
  });

  it('builds the book through REST; the changes give one recompute run, a burst of three edits exactly one more', async () => {
    const p = await ok('POST', '/api/v1/portfolios', { name: 'My book', opening_equity: OPENING_EQUITY, benchmark: 'spy' }, 201);
    expect(p).toMatchObject({ name: 'My book', opening_equity: OPENING_EQUITY, benchmark: 'SPY', open_positions: 0, closed_positions: 0 });
    pid = p.id;
    const aapl = await ok('POST', `${P()}/positions`, AAPL, 201);
    const tsla = await ok('POST', `${P()}/positions`, TSLA, 201);
    const opt = await ok('POST', `${P()}/positions`, CALL, 201);
    for (const w of [aapl, tsla, opt]) expect(w.recompute).toBe('queued');
    ids.aapl = aapl.position.id;
    ids.tsla = tsla.position.id;
    ids.call = opt.position.id;
    expect(aapl.position).toMatchObject({ symbol: 'AAPL', asset_type: 'stock', position_type: 'LONG', side: 'long', quantity: 50, multiplier: 1, tags: ['core'], missing_history: false, exit_date: null, realized_pnl: null });
    expect(tsla.position).toMatchObject({ symbol: 'TSLA', position_type: 'SHORT', side: 'short', quantity: -20, entry_price: 411.15, missing_history: false });
    expect(opt.position).toMatchObject({
      symbol: CALL_SYMBOL, asset_type: 'option', position_type: 'LC', side: 'long', quantity: 2, multiplier: 100,
      underlying: 'SPY', strike: 760, expiry: '2026-10-16', right: 'call', missing_history: false,
    });

    await batch.recompute!.idle();
    const first = await changeRuns();
    expect(first, JSON.stringify(first)).toHaveLength(1);
    expect(first[0]).toMatchObject({ trigger: 'change', status: 'succeeded', as_of: TODAY, portfolio_ids: [pid] });
    const status = await ok('GET', `/api/v1/admin/batch/jobs/${first[0].run_id}`);
    expect(status.portfolios.map((x: any) => x.portfolio_id)).toEqual([pid]);
    expect(status.progress).toMatchObject({ failed: 0, percent: 100 });

    // a burst: 50 → 40 → 45 → 50 shares within one debounce window
    for (const quantity of [40, 45, 50]) await ok('PATCH', `${P()}/positions/${ids.aapl}`, { quantity });
    await batch.recompute!.idle();
    const after = await changeRuns();
    expect(after, JSON.stringify(after)).toHaveLength(2);
    expect(after[0]).toMatchObject({ trigger: 'change', status: 'succeeded', as_of: TODAY, portfolio_ids: [pid] });
    expect(after[0].run_id).not.toBe(first[0].run_id);
    const overview = await ok('GET', `${A()}/overview`);
    expect(overview).toMatchObject({ available: true, as_of: TODAY, run_id: after[0].run_id });
  });

  it('stores exposures, cash and NAV equal to quantities × the bundled closes of 2026-07-13 (option at the reference model price)', async () => {
    const o = await ok('GET', `${A()}/overview`);
    overviewBeforeClose = o;
    const x = expectedExposures(TODAY, true);
    near(o.exposures.long_exposure, x.long, USD_TOL, 'long');
    near(o.exposures.short_exposure, x.short, USD_TOL, 'short');
    near(o.exposures.gross_exposure, x.gross, USD_TOL, 'gross');
    near(o.exposures.net_exposure, x.net, USD_TOL, 'net');
    near(o.cash_balance, x.cash, USD_TOL, 'cash');
    expect(x.cash).toBeCloseTo(100_000 - (14_821 - 8_223 + 4_500), 9); // by hand: 88,902
    near(o.total_value, x.nav, USD_TOL, 'NAV');
    const unrealized = AAPL.quantity * (close('AAPL', TODAY) - AAPL.entry_price) - TSLA.quantity * (close('TSLA', TODAY) - TSLA.entry_price)
      + CALL.quantity * 100 * (REF.dates[TODAY]!.per_share.model_price - CALL.entry_price);
    near(o.pnl.unrealized_pnl, unrealized, USD_TOL, 'unrealized');
    expect(o.pnl.realized_pnl).toBe(0);
    expect(o.position_count).toEqual({ total_positions: 3, long_count: 2, short_count: 1, option_count: 1 });
    expect(o.data_quality).toMatchObject({ stale: false, proxied: false });
  });

  it("stores the option's inputs and Greeks equal to the numpy/scipy reference", async () => {
    const g = await ok('GET', `${A()}/greeks`);
    expect(g).toMatchObject({ available: true, as_of: TODAY });
    expect(g.positions).toHaveLength(1);
    const row = g.positions[0];
    const ref = REF.dates[TODAY]!;
    expect(row).toMatchObject({ position_id: ids.call, symbol: CALL_SYMBOL, vol_source: 'realised_63d', is_expired: false });
    // inputs: the close is the file's value exactly; vol and tenor are the same arithmetic on the same numbers
    expect(row.underlying_price).toBe(ref.inputs.spot);
    relNear(row.vol_annual, ref.inputs.vol_annual, 'vol_annual');
    relNear(row.tenor_years, ref.inputs.tenor_years, 'tenor_years');
    for (const k of ['model_price', 'delta', 'gamma', 'theta_per_day', 'vega_per_vol_point', 'rho_per_pct'] as const) relNear(row[k], ref.per_share[k], k);
    for (const k of ['dollar_delta', 'dollar_gamma_1pct', 'theta_dollars_per_day', 'vega_dollars_per_vol_pt', 'rho_dollars_per_pct'] as const) {
      relNear(row[k], ref.position[k], k);
      relNear(g.totals[k], ref.position[k], `totals.${k}`);
    }
    expect(g.totals.option_count).toBe(1);
  });

  it('closing the short changes today and realises (exit − entry) × signed quantity; the 2026-07-10 snapshot stays as it was', async () => {
    const started = await ok('POST', `/api/v1/admin/batch/trigger/daily?portfolio_id=${pid}&as_of=${EARLIER}`, undefined, 202);
    expect(started).toMatchObject({ as_of: EARLIER, portfolio_ids: [pid] });
    await batch.runner.idle();
    expect((await ok('GET', `/api/v1/admin/batch/jobs/${started.run_id}`)).status).toBe('succeeded');
    const snapsBefore = await ok('GET', `${A()}/snapshots?start_date=${EARLIER}&end_date=${EARLIER}`);
    expect(snapsBefore.snapshots).toHaveLength(1);
    earlierSnapshot = snapsBefore.snapshots[0];
    // that snapshot, independently: the book of 2026-07-10 with the reference option value of that day
    const e = expectedExposures(EARLIER, true);
    expect(earlierSnapshot).toMatchObject({ date: EARLIER, run_id: started.run_id, is_complete: true });
    near(earlierSnapshot.nav, e.nav, USD_TOL, '07-10 nav');
    near(earlierSnapshot.cash, e.cash, USD_TOL, '07-10 cash');
    near(earlierSnapshot.long_value, e.long, USD_TOL, '07-10 long');
    near(Math.abs(earlierSnapshot.short_value), e.short, USD_TOL, '07-10 short');
    near(earlierSnapshot.gross_exposure, e.gross, USD_TOL, '07-10 gross');
    near(earlierSnapshot.net_exposure, e.net, USD_TOL, '07-10 net');

    const closed = await ok('POST', `${P()}/positions/${ids.tsla}/close`, { exit_price: TSLA_EXIT, exit_date: TODAY });
    const realized = (TSLA_EXIT - TSLA.entry_price) * -TSLA.quantity; // (394.76 − 411.15) × −20 = +327.80
    expect(realized).toBeCloseTo(327.8, 9);
    expect(closed.position).toMatchObject({ id: ids.tsla, exit_price: TSLA_EXIT, exit_date: TODAY, quantity: -20 });
    near(closed.position.realized_pnl, realized, USD_TOL, 'realized_pnl of the close');
    const { run: latest, overview: o } = await recomputed();
    const x = expectedExposures(TODAY, false);
    expect(o.exposures.short_exposure).toBe(0);
    near(o.exposures.long_exposure, x.long, USD_TOL, 'long after close');
    near(o.exposures.gross_exposure, x.gross, USD_TOL, 'gross after close');
    near(o.exposures.net_exposure, x.net, USD_TOL, 'net after close');
    near(o.pnl.realized_pnl, realized, USD_TOL, 'overview realized');
    expect(o.position_count).toEqual({ total_positions: 2, long_count: 2, short_count: 0, option_count: 1 });
    expect(o.exposures.net_exposure).not.toBe(overviewBeforeClose.exposures.net_exposure);

    const snapsAfter = await ok('GET', `${A()}/snapshots?start_date=${EARLIER}&end_date=${EARLIER}`);
    expect(snapsAfter.snapshots).toEqual([earlierSnapshot]);
    const today = await ok('GET', `${A()}/snapshots?start_date=${TODAY}&end_date=${TODAY}`);
    expect(today.snapshots).toHaveLength(1);
    expect(today.snapshots[0].run_id).toBe(latest.run_id);
    expect(today.snapshots[0].short_value).toBe(0);

    const open = await ok('GET', `${P()}/positions`);
    expect(open.positions.map((q: any) => q.id).sort()).toEqual([ids.aapl, ids.call].sort());
    const all = await ok('GET', `${P()}/positions?include_closed=true`);
    const t = all.positions.find((q: any) => q.id === ids.tsla);
    expect(t).toMatchObject({ symbol: 'TSLA', side: 'short', quantity: -20, entry_price: TSLA.entry_price, exit_price: TSLA_EXIT, exit_date: TODAY });
    near(t.realized_pnl, realized, USD_TOL, 'listed realized_pnl');
    expect(await ok('GET', P())).toMatchObject({ open_positions: 2, closed_positions: 1 });
  });

  it('closing at the day\'s close leaves NAV unchanged (the realised P&L stays in cash)', async () => {
    // Closing TSLA at its 2026-07-13 close is a swap of a position for cash of equal value, so the
    // NAV of that day must not move: cash = opening equity − Σ signed cost basis of the open
    // positions + realised P&L.
    const o = await ok('GET', `${A()}/overview`);
    const x = expectedExposures(TODAY, false);
    const realized = (TSLA_EXIT - TSLA.entry_price) * -TSLA.quantity;
    near(o.cash_balance, x.cash + realized, USD_TOL, 'cash after close');
    near(o.total_value, overviewBeforeClose.total_value, USD_TOL, 'NAV after closing at the close');
    // the day's snapshot: the same cash and NAV, and its daily P&L over (07-10, 07-13] is the NAV change
    const snap = (await ok('GET', `${A()}/snapshots?start_date=${TODAY}&end_date=${TODAY}`)).snapshots[0];
    near(snap.cash, x.cash + realized, USD_TOL, 'snapshot cash after close');
    near(snap.nav, o.total_value, USD_TOL, 'snapshot NAV after close');
    const moves = AAPL.quantity * (close('AAPL', TODAY) - close('AAPL', EARLIER)) - TSLA.quantity * (TSLA_EXIT - close('TSLA', EARLIER))
      + REF.dates[TODAY]!.position.market_value - REF.dates[EARLIER]!.position.market_value;
    near(snap.daily_pnl, moves, USD_TOL, 'daily P&L from the closes');
    near(snap.daily_pnl, snap.nav - earlierSnapshot.nav, 2 * USD_TOL, 'daily P&L = NAV change');
    // the live views value the book by the same rule
    const mine = (await ok('GET', '/api/v1/data/portfolios')).find((q: any) => q.id === pid);
    near(mine.total_value, o.total_value, USD_TOL, 'live NAV in the portfolio list');
    expect(mine.position_count).toBe(2);
    const complete = await ok('GET', `/api/v1/data/portfolio/${pid}/complete`);
    near(complete.portfolio.cash_balance, x.cash + realized, USD_TOL, 'live cash in the complete view');
    near(complete.portfolio.total_value, o.total_value, USD_TOL, 'live NAV in the complete view');
    expect(complete.portfolio.position_count).toBe(2);
  });

  it("lists every change in the audit trail with door 'rest', before and after", async () => {
    const { entries } = await ok('GET', `${P()}/audit?limit=500`);
    const actions = entries.map((e: any) => e.action).sort();
    expect(actions).toEqual(['portfolio.create', 'position.add', 'position.add', 'position.add', 'position.close', 'position.update', 'position.update', 'position.update']);
    expect(entries.every((e: any) => e.door === 'rest')).toBe(true);
    const me = (await ok('GET', '/api/v1/auth/me')).id;
    expect(entries.every((e: any) => e.user_id === me)).toBe(true);
    const create = entries.find((e: any) => e.action === 'portfolio.create');
    expect(create).toMatchObject({ before: null, after: { name: 'My book', opening_equity: OPENING_EQUITY, benchmark: 'SPY' } });
    const adds = entries.filter((e: any) => e.action === 'position.add');
    expect(adds.every((e: any) => e.before === null)).toBe(true);
    expect(Object.fromEntries(adds.map((e: any) => [e.position_id, [e.after.symbol, e.after.quantity, e.after.entry_price]]))).toEqual({
      [ids.aapl]: ['AAPL', 50, 296.42], [ids.tsla]: ['TSLA', -20, 411.15], [ids.call]: [CALL_SYMBOL, 2, 22.5],
    });
    const updates = entries.filter((e: any) => e.action === 'position.update');
    expect(updates.every((e: any) => e.position_id === ids.aapl)).toBe(true);
    expect(updates.map((e: any) => [e.before.quantity, e.after.quantity]).sort()).toEqual([[40, 45], [45, 50], [50, 40]]);
    const closeEntry = entries.find((e: any) => e.action === 'position.close');
    expect(closeEntry.position_id).toBe(ids.tsla);
    expect(closeEntry.before).toMatchObject({ exit_price: null, exit_date: null, realized_pnl: null, quantity: -20 });
    expect(closeEntry.after).toMatchObject({ exit_price: TSLA_EXIT, exit_date: TODAY, quantity: -20 });
  });
});
