/**
 * Properties of the holdings parser: any valid SigmaSight positions, written with `,` or `;`
 * (decimal point or comma, thousands grouped or not), quoted or not, with or without a BOM, LF or
 * CRLF, in any supported date layout, parse back to the same positions and the same content hash;
 * and arbitrary text never throws: it yields problems that point at lines of the file.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { occSymbol } from '../../../core/imports/options.ts';
import { ParsedHoldingsSchema, parseHoldingsFile, type ParsedPosition } from '../../../core/imports/index.ts';

const HEADER = ['symbol', 'quantity', 'side', 'entry_price', 'entry_date', 'asset_type', 'multiplier', 'tags', 'notes'];

/** A decimal with `places` places from an integer count of its smallest unit, as text. */
function decimalText(units: number, places: number, style: { decimal: '.' | ','; group: boolean }): string {
  const scale = 10 ** places;
  const int = Math.floor(units / scale);
  const frac = String(units % scale).padStart(places, '0');
  const sep = style.decimal === '.' ? ',' : '.';
  const intText = style.group ? int.toString().replace(/\B(?=(\d{3})+(?!\d))/g, sep) : String(int);
  return `${intText}${style.decimal}${frac}`;
}

const dateArb = fc.record({ y: fc.integer({ min: 2000, max: 2030 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) });
const pad = (n: number) => String(n).padStart(2, '0');
const DATE_WRITERS = [
  (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`,
  (y: number, m: number, d: number) => `${pad(m)}/${pad(d)}/${y}`,
  (y: number, m: number, d: number) => `${y}${pad(m)}${pad(d)}`,
  (y: number, m: number, d: number) => `${pad(d)}.${pad(m)}.${y}`,
];

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,4}(?: [A-Za-z0-9]{1,4})?$/);
const richNote = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,;"'\n.%$-]{0,30}[A-Za-z0-9]$/);

const positionArb = fc.record({
  root: fc.stringMatching(/^[A-Z]{1,5}$/),
  kind: fc.constantFrom('stock', 'etf', 'mutual_fund', 'option'),
  quantityMilli: fc.integer({ min: 1, max: 5_000_000_000 }),
  short: fc.boolean(),
  sideColumn: fc.boolean(),
  priceCents: fc.integer({ min: 0, max: 100_000_000 }),
  date: fc.option(dateArb, { nil: null }),
  dateWriter: fc.integer({ min: 0, max: DATE_WRITERS.length - 1 }),
  expiry: dateArb,
  strikeMilli: fc.integer({ min: 1, max: 99_999_999 }),
  call: fc.boolean(),
  tags: fc.uniqueArray(word, { maxLength: 3, selector: (t) => t.toLowerCase() }),
  note: fc.option(fc.tuple(word, richNote), { nil: null }),
});
type Gen = typeof positionArb extends fc.Arbitrary<infer T> ? T : never;

const styleArb = fc.record({ semicolon: fc.boolean(), quoteAll: fc.boolean(), group: fc.boolean(), bom: fc.boolean(), crlf: fc.boolean() });
type Style = typeof styleArb extends fc.Arbitrary<infer T> ? T : never;

function expected(g: Gen, quoted: boolean): ParsedPosition {
  const isOption = g.kind === 'option';
  const expiry = `${g.expiry.y}-${pad(g.expiry.m)}-${pad(g.expiry.d)}`;
  const right = g.call ? 'call' : 'put';
  const strike = g.strikeMilli / 1000;
  return {
    symbol: isOption ? occSymbol(g.root, expiry, right, strike) : g.root,
    asset_type: g.kind as ParsedPosition['asset_type'],
    side: g.short ? 'short' : 'long',
    quantity: g.quantityMilli / 1000,
    entry_price: g.priceCents / 100,
    entry_date: g.date ? `${g.date.y}-${pad(g.date.m)}-${pad(g.date.d)}` : null,
    underlying: isOption ? g.root : null,
    strike: isOption ? strike : null,
    expiry: isOption ? expiry : null,
    right: isOption ? right : null,
    multiplier: isOption ? 100 : 1,
    tags: g.tags,
    notes: g.note ? (quoted ? g.note[1] : g.note[0]).trim() : null,
  };
}

/** The cells of one generated row; notes with delimiters, quotes and line breaks only when quoted. */
function cells(g: Gen, s: Style): string[] {
  const e = expected(g, s.quoteAll);
  // A comma-grouped number in a comma-delimited file must be quoted, as spreadsheets write it.
  const num = { decimal: s.semicolon ? (',' as const) : ('.' as const), group: s.group && (s.quoteAll || s.semicolon) };
  const qty = decimalText(g.quantityMilli, 3, num);
  const symbol = e.asset_type === 'option' ? (g.call ? `${g.root} ${pad(g.expiry.m)}/${pad(g.expiry.d)}/${g.expiry.y} ${strikeText(g.strikeMilli)} C` : e.symbol) : g.root.toLowerCase();
  return [
    symbol,
    g.short && !g.sideColumn ? `-${qty}` : qty,
    g.sideColumn ? (g.short ? 'short' : 'long') : '',
    decimalText(g.priceCents, 2, num),
    g.date ? DATE_WRITERS[g.dateWriter]!(g.date.y, g.date.m, g.date.d) : '',
    g.kind,
    '',
    g.tags.join(s.quoteAll ? ';' : '|'),
    g.note ? (s.quoteAll ? g.note[1] : g.note[0]) : '',
  ];
}

const strikeText = (milli: number) => (milli / 1000).toFixed(3);

function writeFile(rows: Gen[], s: Style): string {
  const d = s.semicolon ? ';' : ',';
  const q = (c: string) => (s.quoteAll ? `"${c.replaceAll('"', '""')}"` : c);
  const eol = s.crlf ? '\r\n' : '\n';
  const lines = [HEADER.map(q).join(d), ...rows.map((g) => cells(g, s).map(q).join(d))];
  return `${s.bom ? '\uFEFF' : ''}${lines.join(eol)}${eol}`;
}

const rowsArb = fc.uniqueArray(positionArb, { minLength: 1, maxLength: 12, selector: (g) => (g.kind === 'option' ? `${g.root}|${g.expiry.y}${g.expiry.m}${g.expiry.d}|${g.strikeMilli}|${g.call}` : g.root) });

describe('round trip of generated SigmaSight files', () => {
  test.prop([rowsArb, styleArb], { numRuns: 150 })('parse back to the positions written, with no problems', (rows, style) => {
    const r = parseHoldingsFile(writeFile(rows, style));
    expect(r.problems).toEqual([]);
    expect(r.format).toBe('sigmasight');
    expect(r.delimiter).toBe(style.semicolon ? ';' : ',');
    expect(r.rows.map((x) => x.position)).toEqual(rows.map((g) => expected(g, style.quoteAll)));
  });

  test.prop([rowsArb, styleArb, styleArb], { numRuns: 60 })('give one content hash whatever the delimiter, quoting, BOM and line ends', (rows, a, b) => {
    const noNotes = rows.map((g) => ({ ...g, note: null }));
    expect(parseHoldingsFile(writeFile(noNotes, a)).content_hash).toBe(parseHoldingsFile(writeFile(noNotes, b)).content_hash);
  });
});

const TOKENS = ['"', '""', ',', ';', '\t', '\n', '\r\n', '\r', ' ', '\uFEFF', 'symbol', 'quantity', 'entry_price', 'AssetClass', 'Symbol', 'Description', 'Quantity', 'Price', 'Account Number', 'Last Price', 'OPT', 'STK', 'AAPL  250117C00150000', '(1,234.50)', '1.234,50', '2025-02-30', '-', '--', 'Account Total', 'x'];
const csvish = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((t) => t.join(''));

describe('arbitrary text', () => {
  test.prop([fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), csvish)], { numRuns: 400 })('never throws, and every problem points at a line of the file', (text) => {
    const r = parseHoldingsFile(text);
    expect(ParsedHoldingsSchema.safeParse(r).success).toBe(true);
    const lines = text.split(/\r\n|\n|\r/).length;
    for (const p of r.problems) {
      expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.line).toBeLessThanOrEqual(lines);
      expect(p.message.length).toBeGreaterThan(0);
    }
    for (const row of r.rows) expect(row.position.quantity).toBeGreaterThan(0);
  });
});
