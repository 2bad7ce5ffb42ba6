/**
 * NYSE calendar against (1) a hand-checked list of NYSE full-day closures for 2020–2026, taken
 * from the NYSE holiday schedules published for each year (nyse.com "Holidays & Trading Hours"),
 * and (2) the bundled SPY closes: every SPY date is a trading day and every trading day in the
 * bundled range has a SPY close.
 */
import { describe, expect, it } from 'vitest';
import {
  easterSunday, isTradingDay, lastClosedTradingDay, latestTradingDayOnOrBefore, nextTradingDay, nyseHolidays, previousTradingDay,
  tradingDays, tradingDaysBetween, windowStart,
} from '../../../core/market-data/calendar.ts';
import { bundledSeries } from '../../helpers/bundled-prices.ts';

const NYSE_CLOSURES: Record<number, string[]> = {
  2020: ['2020-01-01', '2020-01-20', '2020-02-17', '2020-04-10', '2020-05-25', '2020-07-03', '2020-09-07', '2020-11-26', '2020-12-25'],
  // 2022-01-01 is a Saturday: NYSE stays open on Friday 2021-12-31.
  2021: ['2021-01-01', '2021-01-18', '2021-02-15', '2021-04-02', '2021-05-31', '2021-07-05', '2021-09-06', '2021-11-25', '2021-12-24'],
  2022: ['2022-01-17', '2022-02-21', '2022-04-15', '2022-05-30', '2022-06-20', '2022-07-04', '2022-09-05', '2022-11-24', '2022-12-26'],
  2023: ['2023-01-02', '2023-01-16', '2023-02-20', '2023-04-07', '2023-05-29', '2023-06-19', '2023-07-04', '2023-09-04', '2023-11-23', '2023-12-25'],
  2024: ['2024-01-01', '2024-01-15', '2024-02-19', '2024-03-29', '2024-05-27', '2024-06-19', '2024-07-04', '2024-09-02', '2024-11-28', '2024-12-25'],
  // 2025-01-09: national day of mourning for President Carter.
  2025: ['2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25'],
  2026: ['2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25'],
};

describe('NYSE calendar', () => {
  it.each(Object.entries(NYSE_CLOSURES))('closures of %s match the published NYSE schedule', (year, days) => {
    expect(nyseHolidays(Number(year))).toEqual(days);
    for (const d of days) expect(isTradingDay(d)).toBe(false);
  });

  it('observes the rules beyond 2026 (2027: Saturday holidays on the Friday before; 2028: New Year on a Saturday not observed)', () => {
    expect(nyseHolidays(2027)).toEqual(['2027-01-01', '2027-01-18', '2027-02-15', '2027-03-26', '2027-05-31', '2027-06-18', '2027-07-05', '2027-09-06', '2027-11-25', '2027-12-24']);
    expect(isTradingDay('2027-12-31')).toBe(true);
    expect(nyseHolidays(2030)).toHaveLength(10);
    expect(isTradingDay('2019-04-19')).toBe(false); // Good Friday 2019
    expect(isTradingDay('2021-06-18')).toBe(true); // Juneteenth only from 2022
  });

  it('Easter Sunday matches the published dates', () => {
    expect([2019, 2020, 2024, 2025, 2026, 2030].map(easterSunday)).toEqual(['2019-04-21', '2020-04-12', '2024-03-31', '2025-04-20', '2026-04-05', '2030-04-21']);
  });

  it('every bundled SPY date is a trading day and every trading day in the bundled range has a SPY close', () => {
    const spy = bundledSeries('SPY').dates;
    const expected = tradingDays(spy[0]!, spy[spy.length - 1]!);
    expect(spy.filter((d) => !isTradingDay(d))).toEqual([]);
    const have = new Set(spy);
    expect(expected.filter((d) => !have.has(d))).toEqual([]);
    expect(expected).toHaveLength(1639); // data/market/NOTICE.md: 1,639 NYSE trading days
  });

  it('steps across weekends and holidays', () => {
    expect(previousTradingDay('2026-07-06')).toBe('2026-07-02'); // Fri 07-03 observed Independence Day
    expect(latestTradingDayOnOrBefore('2026-07-05')).toBe('2026-07-02');
    expect(latestTradingDayOnOrBefore('2026-07-13')).toBe('2026-07-13');
    expect(nextTradingDay('2025-01-08')).toBe('2025-01-10');
    expect(tradingDaysBetween('2026-07-02', '2026-07-06')).toBe(1);
    expect(tradingDaysBetween('2026-07-06', '2026-07-02')).toBe(-1);
    expect(tradingDaysBetween('2026-07-13', '2026-07-13')).toBe(0);
    expect(tradingDays('2026-07-01', '2026-07-08')).toEqual(['2026-07-01', '2026-07-02', '2026-07-06', '2026-07-07', '2026-07-08']);
    expect(windowStart('2026-07-13', 5)).toBe('2026-07-07');
    expect(tradingDays(windowStart('2026-07-13', 252), '2026-07-13')).toHaveLength(252);
  });

  it('the last closed trading day depends on the New York clock', () => {
    expect(lastClosedTradingDay(new Date('2026-07-13T21:30:00Z'))).toBe('2026-07-13'); // 17:30 EDT
    expect(lastClosedTradingDay(new Date('2026-07-13T19:00:00Z'))).toBe('2026-07-10'); // 15:00 EDT, before the close
    expect(lastClosedTradingDay(new Date('2026-07-06T02:00:00Z'))).toBe('2026-07-02'); // Sunday evening in New York
  });

  it('rejects malformed dates', () => {
    expect(() => isTradingDay('2026-13-01')).toThrow(/not an ISO date/);
    expect(() => tradingDays('yesterday', '2026-01-01')).toThrow(/not an ISO date/);
    expect(() => windowStart('2026-07-13', 0)).toThrow(/positive whole number/);
  });
});
