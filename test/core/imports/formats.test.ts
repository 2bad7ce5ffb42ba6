/**
 * Each supported format parsed from its fixture under test/fixtures/imports/ (provenance in
 * SOURCE.md there). Expected values are read off the fixture by hand: cost per share is the
 * file's per-share cost, or its total cost ÷ (quantity × multiplier) where the broker gives only
 * a total; the arithmetic is written next to the value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHoldingsFile, type ParsedPosition } from '../../../core/imports/index.ts';
import { ROOT } from '../../helpers/run.ts';

const FIXTURES = join(ROOT, 'test/fixtures/imports');
const load = (name: string) => parseHoldingsFile(readFileSync(join(FIXTURES, name), 'utf8'));

const NO_OPTION = { underlying: null, strike: null, expiry: null, right: null } as const;
const equity = (p: Pick<ParsedPosition, 'symbol' | 'asset_type' | 'side' | 'quantity' | 'entry_price' | 'entry_date'> & Partial<ParsedPosition>): ParsedPosition => ({
  ...NO_OPTION,
  multiplier: 1,
  tags: [],
  notes: null,
  ...p,
});
const option = (p: Omit<ParsedPosition, 'asset_type' | 'multiplier' | 'tags' | 'notes'> & Partial<ParsedPosition>): ParsedPosition => ({
  asset_type: 'option',
  multiplier: 100,
  tags: [],
  notes: null,
  ...p,
});

describe('SigmaSight CSV (BOM, `;`, CRLF, decimal commas, multi-line quoted notes)', () => {
  const r = load('sigmasight-portfolio.csv');

  it('is detected with its delimiter and header line, without problems', () => {
    expect([r.format, r.delimiter, r.header_line, r.problems, r.skipped]).toEqual(['sigmasight', ';', 1, [], []]);
  });

  it('parses every row field by field, with its file line', () => {
    expect(r.rows.map((x) => x.line)).toEqual([2, 3, 4, 6, 8, 9]);
    expect(r.rows.map((x) => x.position)).toEqual([
      equity({ symbol: 'AAPL', asset_type: 'stock', side: 'long', quantity: 1200, entry_price: 189.5, entry_date: '2025-03-14', tags: ['core', 'tech'], notes: 'Core holding; added on the dip' }),
      equity({ symbol: 'TSLA', asset_type: 'stock', side: 'short', quantity: 30, entry_price: 1245.1, entry_date: '2025-06-02', tags: ['hedge', 'momentum'], notes: 'Short, sized at "1%" of equity' }),
      equity({ symbol: 'BRK-B', asset_type: 'stock', side: 'long', quantity: 12, entry_price: 410, entry_date: '2024-11-20', tags: ['value'] }),
      equity({ symbol: 'FXAIX', asset_type: 'mutual_fund', side: 'long', quantity: 40.5, entry_price: 180.25, entry_date: '2025-02-03', tags: ['retirement'], notes: 'Two-line note:\nrebalance yearly' }),
      option({ symbol: 'AAPL250117C00150000', side: 'long', quantity: 2, entry_price: 12.4, entry_date: '2024-10-01', underlying: 'AAPL', strike: 150, expiry: '2025-01-17', right: 'call' }),
      option({ symbol: 'SPY251219P00480000', side: 'short', quantity: 1, entry_price: 4.1, entry_date: '2025-04-15', underlying: 'SPY', strike: 480, expiry: '2025-12-19', right: 'put', tags: ['hedge'], notes: 'protective put' }),
    ]);
  });

  it('the example file in data/examples parses cleanly to the positions its rows describe', () => {
    const ex = parseHoldingsFile(readFileSync(join(ROOT, 'data/examples/portfolio-import.csv'), 'utf8'));
    expect(ex.format).toBe('sigmasight');
    expect(ex.problems).toEqual([]);
    expect(ex.rows.map((x) => [x.position.symbol, x.position.asset_type, x.position.side, x.position.quantity])).toEqual([
      ['AAPL', 'stock', 'long', 100],
      ['SPY', 'etf', 'long', 25],
      ['TSLA', 'stock', 'short', 30],
      ['BRK-B', 'stock', 'long', 12],
      ['FXAIX', 'mutual_fund', 'long', 40],
      ['NVDA', 'stock', 'short', 15],
      ['AAPL270115C00250000', 'option', 'long', 2],
      ['SPY270115P00480000', 'option', 'short', 1],
    ]);
  });
});

describe('Interactive Brokers Flex Open Positions', () => {
  it('reads a real export layout (no account column, SubCategory, EUR and USD lines)', () => {
    const r = load('ibkr-flex-open-positions.csv');
    expect([r.format, r.header_line, r.problems, r.skipped]).toEqual(['ibkr_flex', 1, [], []]);
    expect(r.rows.map((x) => x.position)).toEqual([
      equity({ symbol: 'KESKOB', asset_type: 'stock', side: 'long', quantity: 100, entry_price: 18.26459, entry_date: null }),
      equity({ symbol: 'EPR', asset_type: 'stock', side: 'long', quantity: 200, entry_price: 51.355, entry_date: null }),
      equity({ symbol: 'ORC', asset_type: 'stock', side: 'long', quantity: 500, entry_price: 8.004776, entry_date: null }),
      equity({ symbol: 'TCPC', asset_type: 'stock', side: 'long', quantity: 500, entry_price: 5.25455, entry_date: null }),
    ]);
    expect(r.rows[0]!.warnings).toEqual(['prices are in EUR']);
    expect(r.rows[1]!.warnings).toEqual([]);
  });

  it('reads summary rows with their earliest lot date, an option, BRK B, a cash line and a second account', () => {
    const r = load('ibkr-flex-options-lots.csv');
    expect([r.format, r.problems]).toEqual(['ibkr_flex', []]);
    expect(r.rows.map((x) => x.line)).toEqual([2, 5, 7, 11]);
    expect(r.rows.map((x) => x.position)).toEqual([
      // SPY summary 50 @ 520.1; lots opened 2024-03-15 and 2024-09-02.
      equity({ symbol: 'SPY', asset_type: 'etf', side: 'long', quantity: 50, entry_price: 520.1, entry_date: '2024-03-15' }),
      option({ symbol: 'AAPL270115C00250000', side: 'short', quantity: 2, entry_price: 14.2, entry_date: '2025-06-10', underlying: 'AAPL', strike: 250, expiry: '2027-01-15', right: 'call' }),
      equity({ symbol: 'BRK-B', asset_type: 'stock', side: 'long', quantity: 10, entry_price: 410.55, entry_date: '2023-01-05' }),
      equity({ symbol: 'MSFT', asset_type: 'stock', side: 'long', quantity: 15, entry_price: 401.13, entry_date: '2022-03-01' }),
    ]);
    expect(r.skipped.map((s) => s.line)).toEqual([3, 4, 6, 8, 9, 10, 12]);
    expect(r.skipped.find((s) => s.line === 9)!.reason).toContain('EUR.USD');
    expect(r.skipped.find((s) => s.line === 10)!.reason).toContain('repeated header');
  });
});

describe('Schwab Positions', () => {
  const r = load('schwab-positions.csv');

  it('finds the header under the title lines and skips the cash and total rows', () => {
    expect([r.format, r.delimiter, r.header_line, r.problems]).toEqual(['schwab', ',', 3, []]);
    expect(r.skipped.map((s) => s.line)).toEqual([10, 11]);
  });

  it('parses every holding field by field, cost per share from the total cost basis', () => {
    expect(r.rows.map((x) => x.position)).toEqual([
      equity({ symbol: 'SCHB', asset_type: 'etf', side: 'long', quantity: 1250.5, entry_price: 20, entry_date: null }), // 25,010.00 / 1,250.5
      equity({ symbol: 'MSFT', asset_type: 'stock', side: 'long', quantity: 40, entry_price: 310, entry_date: null }), // 12,400 / 40
      equity({ symbol: 'BRK-B', asset_type: 'stock', side: 'long', quantity: 12, entry_price: 400, entry_date: null }), // 4,800 / 12
      equity({ symbol: 'TSLA', asset_type: 'stock', side: 'short', quantity: 10, entry_price: 250, entry_date: null }), // |-2,500| / 10
      option({ symbol: 'AAPL250620C00200000', side: 'long', quantity: 2, entry_price: 6.2, entry_date: null, underlying: 'AAPL', strike: 200, expiry: '2025-06-20', right: 'call' }), // 1,240 / (2 × 100)
      equity({ symbol: 'SWPPX', asset_type: 'mutual_fund', side: 'long', quantity: 100, entry_price: 70, entry_date: null }), // 7,000 / 100
    ]);
  });
});

describe('Fidelity Portfolio Positions', () => {
  const r = load('fidelity-positions.csv');

  it('skips the money-market core position, pending activity and the footer lines', () => {
    expect([r.format, r.header_line, r.problems]).toEqual(['fidelity', 1, []]);
    expect(r.skipped.map((s) => s.line)).toEqual([2, 6, 8, 10]);
  });

  it('parses every holding field by field', () => {
    expect(r.rows.map((x) => x.position)).toEqual([
      equity({ symbol: 'VWO', asset_type: 'stock', side: 'long', quantity: 900, entry_price: 28.96, entry_date: null }),
      option({ symbol: 'AAPL250620C00200000', side: 'long', quantity: 1, entry_price: 6.2, entry_date: null, underlying: 'AAPL', strike: 200, expiry: '2025-06-20', right: 'call' }),
      equity({ symbol: 'FXAIX', asset_type: 'mutual_fund', side: 'long', quantity: 35.123, entry_price: 156.59, entry_date: null }),
    ]);
  });
});
