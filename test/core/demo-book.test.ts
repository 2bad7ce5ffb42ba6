/**
 * The committed demo book (db/seed/demo-book.json) against its generator and against an
 * independent numpy/scipy recomputation (test/fixtures/demo-book-reference.json, produced by
 * test/fixtures/gen_demo_book_reference.py; versions recorded in the fixture).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOccSymbol } from '../../engines/options/occ.ts';
import { addMonths, thirdFriday, vixExpiry, weekday } from '../../core/seed/calendar-dates.ts';
import { md5Uuid, roundToStrikeGrid } from '../../core/seed/demo-book.ts';
import { generateDemoBookFromFiles } from '../../core/seed/generate.ts';
import { readDemoBook } from '../../db/seed/seed.ts';

const book = readDemoBook();
const reference = JSON.parse(readFileSync(new URL('../fixtures/demo-book-reference.json', import.meta.url), 'utf8')) as {
  options: { reference_symbol: string; entry_date: string; expiry: string; strike: number; spot: number; vol_annual: number; rate_cont: number; bs_price: number }[];
  equities: { portfolio: string; symbol: string; entry_date: string; entry_price: number }[];
};
const options = book.positions.filter((p) => p.multiplier === 100);

describe('demo book generator', () => {
  it('reproduces the committed db/seed/demo-book.json exactly', () => {
    expect(generateDemoBookFromFiles()).toEqual(book);
  });

  it('keeps the reference ids, counts and renames ZOOM to ZM', () => {
    expect(book.portfolios.map((p) => p.id).sort()).toEqual(
      ['1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe', 'e23ab931-a033-edfe-ed4f-9d02474780b4', 'fcd71196-e93e-f000-5a74-31a9eead3118'].sort(),
    );
    expect(book.users.map((u) => u.id).sort()).toEqual(['fd5f083c-6ffc-df32-89ca-a4044b5723f5', '9dacfb0f-2123-7a94-debc-0f982b90d845', md5Uuid('demo_hedgefundstyle@sigmasight.com_user')].sort());
    const counts = book.portfolios.map((p) => book.positions.filter((q) => q.portfolioId === p.id).length);
    expect(counts).toEqual([16, 17, 30]);
    expect(book.tags).toHaveLength(9);
    expect(book.positions.some((p) => p.symbol === 'ZOOM' || p.underlyingSymbol === 'ZOOM')).toBe(false);
    expect(book.positions.filter((p) => p.symbol === 'ZM')).toHaveLength(1);
  });

  it('derives position ids by the reference recipe over the rebased values', () => {
    for (const p of book.positions) expect(p.id).toBe(md5Uuid(`${p.portfolioId}_${p.symbol}_${p.entryDate}`));
  });

  it('shifts every entry date by 18 months', () => {
    for (const p of book.positions) expect(p.entryDate).toBe(addMonths(String(p.rebase['referenceEntryDate']), 18));
  });

  it('prices every equity at the bundled close on its entry date (numpy-independent reference)', () => {
    const equities = book.positions.filter((p) => p.multiplier === 1 && !p.proxySymbol);
    expect(equities).toHaveLength(reference.equities.length);
    for (const e of reference.equities) {
      const p = equities.find((q) => q.symbol === e.symbol && q.entryDate === e.entry_date)!;
      expect(p.entryPrice).toBe(e.entry_price);
    }
  });

  it('gives mutual funds a declared proxy ETF and keeps the reference NAV', () => {
    const funds = Object.fromEntries(book.positions.filter((p) => p.proxySymbol).map((p) => [p.symbol, p.proxySymbol]));
    expect(funds).toEqual({ FXNAX: 'AGG', FCNTX: 'VUG', FMAGX: 'IWF', VTIAX: 'VXUS' });
    for (const p of book.positions.filter((q) => q.proxySymbol)) expect(p.entryPrice).toBe(p.rebase['referenceEntryPrice']);
  });

  it('rebases every option like the independent scipy reference (strike, expiry, entry price to 5e-5)', () => {
    expect(options).toHaveLength(8);
    for (const ref of reference.options) {
      const p = options.find((q) => q.rebase['referenceSymbol'] === ref.reference_symbol)!;
      expect(p.entryDate).toBe(ref.entry_date);
      expect(p.expirationDate).toBe(ref.expiry);
      expect(p.strikePrice).toBe(ref.strike);
      expect(p.rebase['volAnnual'] as number).toBeCloseTo(ref.vol_annual, 12);
      expect(p.rebase['rateCont'] as number).toBeCloseTo(ref.rate_cont, 14);
      expect(Math.abs(p.entryPrice - ref.bs_price)).toBeLessThanOrEqual(5e-5); // entry price is rounded to 4 dp
    }
  });

  it('rebuilds OCC symbols from the structured fields, and no option has expired on 2026-07-13', () => {
    for (const p of options) {
      expect(parseOccSymbol(p.symbol)).toEqual({ root: p.underlyingSymbol, expiry: p.expirationDate, right: p.positionType === 'LC' || p.positionType === 'SC' ? 'call' : 'put', strike: p.strikePrice });
      expect(p.expirationDate! > '2026-07-13').toBe(true);
    }
  });
});

describe('calendar rules', () => {
  it('finds third Fridays and VIX Wednesdays (known listed expiries)', () => {
    expect(thirdFriday(2025, 9)).toBe('2025-09-19');
    expect(thirdFriday(2025, 8)).toBe('2025-08-15');
    expect(thirdFriday(2027, 3)).toBe('2027-03-19');
    expect(vixExpiry(2025, 7)).toBe('2025-07-16'); // the reference VIX option's expiry
    expect(vixExpiry(2027, 1)).toBe('2027-01-20');
    expect(weekday(vixExpiry(2026, 12))).toBe(3);
  });

  it('clamps month arithmetic to the end of the month', () => {
    expect(addMonths('2024-08-31', 18)).toBe('2026-02-28');
    expect(addMonths('2022-08-31', 18)).toBe('2024-02-29');
    expect(addMonths('2024-01-15', 18)).toBe('2025-07-15');
  });

  it('rounds strikes to the listed grid', () => {
    expect(roundToStrikeGrid(23.4)).toBe(23);
    expect(roundToStrikeGrid(49.6)).toBe(50);
    expect(roundToStrikeGrid(61.3)).toBe(62.5);
    expect(roundToStrikeGrid(532.4)).toBe(530);
    expect(roundToStrikeGrid(537.6)).toBe(540);
  });
});
