import { describe, expect, it } from 'vitest';
import { parseDate } from '../../../core/imports/dates.ts';
import { isEmptyCell, parseNumber } from '../../../core/imports/numbers.ts';
import { normalizeSymbol } from '../../../core/imports/symbols.ts';

const num = (s: string, d: '.' | ',' = '.') => {
  const r = parseNumber(s, d);
  return r.ok ? r.value : null;
};

describe('parseNumber with a decimal point', () => {
  it.each([
    ['1234.5', 1234.5],
    ['1,234.50', 1234.5],
    ['1,234,567', 1234567],
    ['.5', 0.5],
    ['$1,234.50', 1234.5],
    ['-$1,234.50', -1234.5],
    ['$-12', -12],
    ['(123.45)', -123.45],
    ['($1,234.50)', -1234.5],
    ['123.45-', -123.45],
    ['+12.5%', 12.5],
    ['1 234.5', 1234.5],
    ["1'234.5", 1234.5],
    ['0', 0],
    ['-0', 0],
    ['USD 10', 10],
  ])('%s → %d', (s, v) => expect(num(s)).toBe(v));

  it.each(['1,23', '12,3456', '1.2.3', 'abc', '1e5', '--5', '(-5)', '$', '12 345 6', '1,,234'])('refuses %s', (s) => {
    const r = parseNumber(s, '.');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(`"${s}" is not a number`);
  });
});

describe('parseNumber with a decimal comma (`;` files)', () => {
  it.each([
    ['1.234,50', 1234.5],
    ['1234,5', 1234.5],
    ['1.234', 1234],
    ['1.234.567,891', 1234567.891],
    ['12.5', 12.5],
    ['(1.234,50)', -1234.5],
    ['1 234,50', 1234.5],
    ['3,5-', -3.5],
  ])('%s → %d', (s, v) => expect(num(s, ',')).toBe(v));

  it.each(['1,234.50', '1.23,4', '1,2,3'])('refuses %s', (s) => expect(parseNumber(s, ',').ok).toBe(false));
});

describe('isEmptyCell', () => {
  it('treats blank, -- and n/a as no value', () => {
    for (const s of ['', '  ', '--', 'n/a', 'N/A', undefined]) expect(isEmptyCell(s)).toBe(true);
    expect(isEmptyCell('0')).toBe(false);
    // NA and NONE can be tickers.
    expect(isEmptyCell('NA')).toBe(false);
    expect(isEmptyCell('NONE')).toBe(false);
  });
});

describe('parseDate', () => {
  it.each([
    ['2025-01-17', '2025-01-17'],
    ['2025-1-7', '2025-01-07'],
    ['2025/05/04', '2025-05-04'],
    ['01/17/2025', '2025-01-17'],
    ['1/7/2025', '2025-01-07'],
    ['20250117', '2025-01-17'],
    ['17.01.2025', '2025-01-17'],
    ['20240115;093000', '2024-01-15'],
    ['2024-01-15;09:30:00', '2024-01-15'],
    ['2024-01-15 09:30', '2024-01-15'],
    ['2024-02-29', '2024-02-29'],
  ])('%s → %s', (s, iso) => expect(parseDate(s)).toEqual({ ok: true, value: iso }));

  it.each(['2025-02-29', '2025-13-01', '13/45/2024', '31.02.2024', '20250230', '1899-12-31'])('refuses the impossible date %s', (s) => {
    const r = parseDate(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('not a real calendar date');
  });

  it.each(['17/01/25', 'Jan 17 2025', '2025.01.17', 'yesterday', '2025-01'])('refuses the unknown layout %s, naming the accepted ones', (s) => {
    const r = parseDate(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('YYYY-MM-DD, MM/DD/YYYY, YYYYMMDD or DD.MM.YYYY');
  });
});

describe('normalizeSymbol', () => {
  it.each([
    [' aapl ', 'AAPL'],
    ['BRK.B', 'BRK-B'],
    ['BRK/B', 'BRK-B'],
    ['brk-b', 'BRK-B'],
    ['BRK B', 'BRK-B'],
    ['TELIA1', 'TELIA1'],
    ['RDS-WS', 'RDS-WS'],
  ])('%s → %s', (s, v) => expect(normalizeSymbol(s)).toEqual({ ok: true, value: v }));

  it.each(['', 'NDA FI', 'AB$C', 'A'.repeat(16), 'AAPL.'])('refuses %j', (s) => expect(normalizeSymbol(s).ok).toBe(false));
});
