/**
 * The cash rule, with expected values worked by hand: cash at the close of D = opening equity
 * − Σ signed cost basis (q × entry × multiplier) of the positions entered on or before D, open or
 * closed, + Σ signed exit proceeds (q × exit × multiplier) of those closed on or before D.
 */
import { describe, expect, it } from 'vitest';
import { portfolioCash } from '../../../core/batch/portfolio-state.ts';
import type { PositionRow } from '../../../core/batch/types.ts';
import { cashAsOf, equity, type CashPosition, type ValuedPosition } from '../../../core/services/book.ts';

const OPENING = 100_000;
// A long stock closed at a gain, a short stock covered at a gain, a long call held, a short put bought back at a loss, a stock bought later.
const A: CashPosition = { quantity: 10, entryPrice: 50, multiplier: 1, entryDate: '2026-07-01', exitDate: '2026-07-06', exitPrice: 55 }; // cost 500, proceeds 550
const B: CashPosition = { quantity: -20, entryPrice: 30, multiplier: 1, entryDate: '2026-07-02', exitDate: '2026-07-08', exitPrice: 25 }; // cost −600, proceeds −500
const C: CashPosition = { quantity: 2, entryPrice: 4.5, multiplier: 100, entryDate: '2026-07-03', exitDate: null, exitPrice: null }; // cost 900
const D: CashPosition = { quantity: -3, entryPrice: 2, multiplier: 100, entryDate: '2026-07-03', exitDate: '2026-07-07', exitPrice: 3.1 }; // cost −600, proceeds −930
const E: CashPosition = { quantity: 5, entryPrice: 100, multiplier: 1, entryDate: '2026-07-09', exitDate: null, exitPrice: null }; // cost 500
const BOOK = [A, B, C, D, E];

describe('cashAsOf', () => {
  it('is the opening equity before anything is entered', () => {
    expect(cashAsOf(OPENING, BOOK, '2026-06-30')).toBe(100_000);
    expect(cashAsOf(OPENING, [], '2026-07-13')).toBe(100_000);
  });

  it('pays the cost of every position entered and credits a short sale, with the option multiplier', () => {
    // 100,000 − 500 + 600 − 900 + 600
    expect(cashAsOf(OPENING, BOOK, '2026-07-05')).toBeCloseTo(99_800, 9);
    // a position closed after D is still held: its cost stays paid and nothing is realised
    expect(cashAsOf(OPENING, [A], '2026-07-05')).toBeCloseTo(99_500, 9);
  });

  it('credits exit proceeds from the exit date on (a close on D itself counts)', () => {
    expect(cashAsOf(OPENING, BOOK, '2026-07-06')).toBeCloseTo(100_350, 9); // 99,800 + 550
    expect(cashAsOf(OPENING, BOOK, '2026-07-07')).toBeCloseTo(99_420, 9); // + (−3 × 3.10 × 100 = −930)
    expect(cashAsOf(OPENING, BOOK, '2026-07-08')).toBeCloseTo(98_920, 9); // + (−20 × 25 = −500)
    expect(cashAsOf(OPENING, BOOK, '2026-07-09')).toBeCloseTo(98_420, 9); // − 500 for E
  });

  it('equals opening equity − cost of the open positions + realised P&L of the closed', () => {
    // on 2026-07-08 only C is open (cost 900); realised: A +50, B (25 − 30) × −20 = +100, D (3.10 − 2) × −3 × 100 = −330
    expect(cashAsOf(OPENING, BOOK, '2026-07-08')).toBeCloseTo(100_000 - 900 + 50 + 100 - 330, 9);
  });

  it('leaves NAV unchanged by a close at the mark', () => {
    // 2026-07-06 with A marked at 55: held (MV 550) or closed at 55 (MV 0)
    const held = cashAsOf(OPENING, [{ ...A, exitDate: null, exitPrice: null }, C], '2026-07-06') + 10 * 55;
    const closed = cashAsOf(OPENING, [A, C], '2026-07-06');
    expect(closed).toBeCloseTo(held, 9);
    expect(closed).toBeCloseTo(100_000 - 900 + 50, 9);
  });

  it('takes a close without an exit price at its cost (no realised P&L)', () => {
    expect(cashAsOf(OPENING, [{ ...B, exitPrice: null }], '2026-07-08')).toBe(100_000);
  });
});

describe('portfolioCash (batch rows, multiplier by position type)', () => {
  const row = (p: Partial<PositionRow> & Pick<PositionRow, 'positionType' | 'quantity' | 'entryPrice' | 'entryDate'>): PositionRow => ({
    id: p.positionType, portfolioId: 'p', symbol: 'X', exitDate: null, exitPrice: null, underlyingSymbol: null, strikePrice: null, expirationDate: null, proxySymbol: null, ...p,
  });
  const rows = [
    row({ positionType: 'LC', quantity: 2, entryPrice: 4.5, entryDate: '2026-07-03' }),
    row({ positionType: 'SP', quantity: -3, entryPrice: 2, entryDate: '2026-07-03', exitDate: '2026-07-07', exitPrice: 3.1 }),
    row({ positionType: 'SHORT', quantity: -20, entryPrice: 30, entryDate: '2026-07-02', exitDate: '2026-07-08', exitPrice: 25 }),
  ];
  it('applies ×100 to options and ×1 to stock', () => {
    // 10,000 − 900 + 600 + 600 (both still held on 07-06)
    expect(portfolioCash(10_000, rows, '2026-07-06')).toBeCloseTo(10_300, 9);
    // the put bought back: − 930; the short covered: − 500
    expect(portfolioCash(10_000, rows, '2026-07-08')).toBeCloseTo(8_870, 9);
  });
});

describe('equity (live valuation)', () => {
  const valued = (mv: number | null, closed = false) => ({ row: { market_value: mv, is_closed: closed } }) as unknown as ValuedPosition;
  it('takes cash from the whole book and market value from the open positions only', () => {
    // on 2026-07-08: cash 98,920 (above); C marked at 5.00 → MV 1,000; a closed row carries MV 0 and is skipped
    const e = equity(OPENING, [valued(1_000), valued(0, true), valued(null)], BOOK, '2026-07-08');
    expect(e).toEqual({ cash: 98_920, marketValue: 1_000, nav: 99_920 });
  });
});
