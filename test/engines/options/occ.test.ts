import { fc, test as ptest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { EngineError } from '../../../engines/errors.ts';
import { buildOccSymbol, parseOccSymbol } from '../../../engines/options/occ.ts';

describe('OCC option symbols (engines.md global conventions: ROOT + YYMMDD + C/P + strike×1000, 8 digits)', () => {
  test('SPY 2025-09-19 460 call ↔ SPY250919C00460000 (example from engines.md)', () => {
    expect(buildOccSymbol({ root: 'SPY', expiry: '2025-09-19', right: 'call', strike: 460 })).toBe('SPY250919C00460000');
    expect(parseOccSymbol('SPY250919C00460000')).toEqual({ root: 'SPY', expiry: '2025-09-19', right: 'call', strike: 460 });
  });
  test('fractional strike 2.5 put → 00002500', () => {
    expect(buildOccSymbol({ root: 'F', expiry: '2026-01-16', right: 'put', strike: 2.5 })).toBe('F260116P00002500');
  });
  test('malformed inputs → INVALID_INPUT', () => {
    expect(() => parseOccSymbol('AAPL')).toThrow(EngineError);
    expect(() => buildOccSymbol({ root: 'X', expiry: '2025/09/19', right: 'call', strike: 1 })).toThrow(EngineError);
    expect(() => buildOccSymbol({ root: 'X', expiry: '2025-09-19', right: 'call', strike: 0 })).toThrow(EngineError);
  });
  ptest.prop([
    fc.stringMatching(/^[A-Z]{1,6}$/), fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
    fc.constantFrom('call' as const, 'put' as const), fc.integer({ min: 1, max: 99_999_999 }),
  ], { numRuns: 200 })('build ∘ parse round-trips', (root, d, right, milli) => {
    const f = { root, expiry: d.toISOString().slice(0, 10), right, strike: milli / 1000 };
    expect(parseOccSymbol(buildOccSymbol(f))).toEqual(f);
  });
});
