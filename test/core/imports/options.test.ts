import { describe, expect, it } from 'vitest';
import { occSymbol, optionFromParts, parseOptionSymbol, parseRight } from '../../../core/imports/options.ts';

const AAPL_C150 = { symbol: 'AAPL250117C00150000', underlying: 'AAPL', strike: 150, expiry: '2025-01-17', right: 'call' };

describe('parseOptionSymbol', () => {
  it.each([
    'AAPL  250117C00150000', // OCC/OSI padded to six characters (IB's Symbol column)
    'AAPL250117C00150000', // OCC without padding
    'aapl 250117c00150000',
    'AAPL 01/17/2025 150.00 C', // Schwab
    'AAPL 1/17/2025 150 C',
    'AAPL 17JAN25 150 C', // IB Description
    '-AAPL250117C150', // Fidelity
    ' -AAPL250117C150.00',
  ])('reads %j as the AAPL Jan 17 2025 150 call', (s) => expect(parseOptionSymbol(s)).toEqual({ ok: true, value: AAPL_C150 }));

  it('reads fractional strikes and puts', () => {
    expect(parseOptionSymbol('SPY   270319P00535500')).toEqual({
      ok: true,
      value: { symbol: 'SPY270319P00535500', underlying: 'SPY', strike: 535.5, expiry: '2027-03-19', right: 'put' },
    });
    expect(parseOptionSymbol('F 06/20/2025 12.50 P')?.ok && parseOptionSymbol('F 06/20/2025 12.50 P')).toMatchObject({ value: { symbol: 'F250620P00012500', strike: 12.5 } });
  });

  it('returns null for plain tickers so they are read as equities', () => {
    for (const s of ['AAPL', 'BRK.B', 'TELIA1', 'SPAXX**', '']) expect(parseOptionSymbol(s)).toBeNull();
  });

  it('refuses impossible expiries and unknown months as bad_option', () => {
    expect(parseOptionSymbol('AAPL250230C00150000')).toMatchObject({ ok: false, code: 'bad_option' });
    expect(parseOptionSymbol('AAPL 02/30/2025 150 C')).toMatchObject({ ok: false, code: 'bad_option' });
    expect(parseOptionSymbol('AAPL 17JAX25 150 C')).toMatchObject({ ok: false, code: 'bad_option' });
    expect(parseOptionSymbol('AAPL250117C00000000')).toMatchObject({ ok: false, code: 'bad_option' });
  });

  it('calls a compact symbol whose strike is not the eight-digit OCC field ambiguous', () => {
    const r = parseOptionSymbol('AAPL250117C150');
    expect(r).toMatchObject({ ok: false, code: 'ambiguous_option' });
    if (r && !r.ok) expect(r.message).toContain('eight-digit');
  });
});

describe('optionFromParts', () => {
  it('builds the OCC symbol from underlying, strike, expiry and right', () => {
    expect(optionFromParts({ underlying: 'aapl', strike: 150, expiry: '2025-01-17', right: 'call' })).toEqual({ ok: true, value: AAPL_C150 });
    expect(occSymbol('BRKB', '2026-12-18', 'put', 0.5)).toBe('BRKB261218P00000500');
  });

  it.each([
    [{ underlying: 'AAPL', strike: 0, expiry: '2025-01-17', right: 'call' as const }, 'strike'],
    [{ underlying: 'AAPL', strike: 100_000, expiry: '2025-01-17', right: 'call' as const }, 'strike'],
    [{ underlying: 'AAPL', strike: 1.23456, expiry: '2025-01-17', right: 'call' as const }, 'three decimals'],
    [{ underlying: 'AAPL', strike: 150, expiry: '2025-02-30', right: 'call' as const }, 'expiry'],
    [{ underlying: 'TOOLONGX', strike: 150, expiry: '2025-01-17', right: 'call' as const }, 'option root'],
    [{ underlying: 'BRK.B', strike: 150, expiry: '2025-01-17', right: 'call' as const }, 'option root'],
  ])('refuses %j', (parts, why) => {
    const r = optionFromParts(parts);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(why);
  });
});

describe('parseRight', () => {
  it('reads C, P, call and put in any case', () => {
    expect([parseRight('C'), parseRight('call'), parseRight(' Put '), parseRight('p'), parseRight('x')]).toEqual(['call', 'call', 'put', 'put', null]);
  });
});
