/**
 * The documented SigmaSight holdings CSV (see data/examples/portfolio-import.csv): one position a
 * row with columns symbol, quantity, side, entry_price, entry_date, asset_type, underlying,
 * strike, expiry, right, multiplier, tags and notes. Headers match without case or punctuation
 * (`Entry Price`, `entry_price` and `ENTRY-PRICE` are the same column).
 */
import { parseOptionSymbol, parseRight, optionFromParts, type OptionResult } from './options.ts';
import { finishRow, type Instrument } from './position.ts';
import { hasColumns, mapColumns, readers, splitTags, type ColumnSpec, type FormatOutput, type RowReader, type Table } from './rows.ts';
import { normalizeSymbol } from './symbols.ts';
import type { AssetType } from './types.ts';

const SPEC = {
  symbol: ['symbol', 'ticker'],
  quantity: ['quantity', 'qty', 'shares'],
  side: ['side', 'long_short'],
  entry_price: ['entry_price', 'entry_price_per_share', 'cost_per_share'],
  entry_date: ['entry_date', 'open_date'],
  asset_type: ['asset_type', 'security_type'],
  underlying: ['underlying', 'underlying_symbol'],
  strike: ['strike', 'strike_price'],
  expiry: ['expiry', 'expiration', 'expiration_date'],
  right: ['right', 'option_type', 'put_call'],
  multiplier: ['multiplier'],
  tags: ['tags', 'tag'],
  notes: ['notes', 'note'],
} as const satisfies ColumnSpec<string>;
type Col = keyof typeof SPEC;

/** Header names of the documented schema, in the order the example file uses. */
export const SIGMASIGHT_COLUMNS = Object.keys(SPEC) as Col[];

/** A SigmaSight file names a quantity, an entry price and a symbol or underlying. */
export const detectSigmaSight = (headers: readonly string[]): boolean =>
  hasColumns(headers, [SPEC.quantity, SPEC.entry_price, [...SPEC.symbol, ...SPEC.underlying]]);

const ASSET_WORDS: Record<string, AssetType | 'cash' | 'unsupported'> = {
  stock: 'stock', equity: 'stock', etf: 'etf', mutual_fund: 'mutual_fund', mutualfund: 'mutual_fund', fund: 'mutual_fund', option: 'option',
  cash: 'cash', bond: 'unsupported', future: 'unsupported', crypto: 'unsupported', index: 'unsupported', warrant: 'unsupported',
};

/**
 * The option named by underlying/strike/expiry/right; null when none of them is filled,
 * 'reported' when they are incomplete or bad (the problems are on the reader).
 */
function optionFromColumns(r: RowReader<Col>): OptionResult | 'reported' | null {
  if (!(['underlying', 'strike', 'expiry', 'right'] as const).some((c) => r.has(c))) return null;
  const underlying = r.has('underlying') ? r.text('underlying') : r.text('symbol');
  for (const c of ['strike', 'expiry', 'right'] as const) if (!r.has(c)) r.problem('missing_field', c, `${c} is missing: an option by parts needs underlying, strike, expiry and right`);
  if (underlying === '') r.problem('missing_field', 'underlying', 'underlying is missing');
  const strike = r.number('strike', 'strike');
  const expiry = r.date('expiry', 'expiry');
  const right = r.has('right') ? parseRight(r.text('right')) : null;
  if (r.has('right') && right === null) r.problem('bad_value', 'right', `right "${r.text('right')}" must be call or put (C or P)`);
  if (strike === null || expiry === null || right === null || underlying === '') return 'reported';
  return optionFromParts({ underlying, strike, expiry, right });
}

function instrumentOf(r: RowReader<Col>, assetType: AssetType | null): Instrument | null {
  const fromParts = optionFromColumns(r);
  if (fromParts === 'reported') return null;
  const fromSymbol = r.has('symbol') ? parseOptionSymbol(r.text('symbol')) : null;
  const option = fromParts ?? fromSymbol;
  if (option) {
    if (!option.ok) {
      r.problem(option.code, fromParts ? 'underlying' : 'symbol', option.message);
      return null;
    }
    if (fromParts && fromSymbol?.ok && fromSymbol.value.symbol !== option.value.symbol) {
      r.problem('ambiguous_option', 'symbol', `symbol ${fromSymbol.value.symbol} and underlying/strike/expiry/right ${option.value.symbol} name different contracts`);
      return null;
    }
    if (assetType !== null && assetType !== 'option') {
      r.problem('ambiguous_option', 'asset_type', `asset_type says ${assetType} but the row names option ${option.value.symbol}`);
      return null;
    }
    return { kind: 'option', contract: option.value };
  }
  if (assetType === 'option') {
    r.problem('ambiguous_option', 'symbol', `"${r.text('symbol')}" is marked as an option but names no contract: give an OCC symbol (AAPL250117C00150000) or underlying, strike, expiry and right`);
    return null;
  }
  if (!r.has('symbol')) {
    r.problem('missing_field', 'symbol', 'symbol is missing');
    return null;
  }
  const sym = normalizeSymbol(r.text('symbol'));
  if (!sym.ok) {
    r.problem('bad_symbol', 'symbol', sym.message);
    return null;
  }
  return { kind: 'equity', symbol: sym.value, assetType: assetType ?? 'stock' };
}

/** Signed quantity from quantity and side; a negative quantity with side long is refused. */
function signedQuantity(r: RowReader<Col>): number | null {
  const q = r.number('quantity', 'quantity', true);
  if (!r.has('side')) return q;
  const side = r.text('side').toLowerCase();
  const short = side === 'short' || side === 's';
  if (!short && side !== 'long' && side !== 'l') {
    r.problem('bad_value', 'side', `side "${r.text('side')}" must be long or short`);
    return null;
  }
  if (q === null) return null;
  if (q < 0 && !short) {
    r.problem('bad_value', 'quantity', `quantity ${q} is negative but side says long: give a positive quantity with side short, or leave side empty`);
    return null;
  }
  return short ? -Math.abs(q) : q;
}

export function parseSigmaSight(table: Table): FormatOutput {
  const out: FormatOutput = { rows: [], skipped: [], problems: [] };
  for (const r of readers(table, mapColumns(table.headers, SPEC))) {
    const word = r.text('asset_type').toLowerCase().replace(/[\s-]+/g, '_');
    const kind = word === '' ? null : ASSET_WORDS[word];
    if (kind === 'cash') {
      out.skipped.push({ line: r.line, reason: 'cash row: cash is the portfolio’s opening equity, not a position' });
      continue;
    }
    if (kind === undefined || kind === 'unsupported') {
      r.problem(kind ? 'unsupported_asset' : 'bad_value', 'asset_type', `asset_type "${r.text('asset_type')}" is not supported: use stock, etf, mutual_fund or option`);
    }
    const assetType = kind === undefined || kind === 'unsupported' ? null : kind;
    const instrument = instrumentOf(r, assetType);
    const row = finishRow(r, {
      instrument,
      quantity: signedQuantity(r),
      quantityColumn: 'quantity',
      entryPrice: r.number('entry_price', 'entry price', true),
      entryPriceColumn: 'entry_price',
      entryDate: r.date('entry_date', 'entry date'),
      multiplier: r.number('multiplier', 'multiplier'),
      multiplierColumn: 'multiplier',
      tags: splitTags(r.text('tags')),
      notes: r.text('notes') || null,
    });
    if (row) out.rows.push(row);
    out.problems.push(...r.problems);
  }
  return out;
}
