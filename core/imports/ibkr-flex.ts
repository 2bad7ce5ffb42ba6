/**
 * Interactive Brokers Flex Query "Open Positions" section exported as CSV. Columns are the Flex
 * field names (ClientAccountID, AssetClass, SubCategory, Symbol, Conid, UnderlyingSymbol, Strike,
 * Expiry, Put/Call, Multiplier, Quantity or Position, MarkPrice, CostBasisPrice, CostBasisMoney,
 * OpenPrice, OpenDateTime, LevelOfDetail, …); any subset in any order. IB repeats the header for
 * each account and may frame sections with BOF/BOA/BOS … EOF lines: those rows are skipped.
 *
 * With "Options: Summary and Lot" the file holds a SUMMARY row per position and LOT rows under it:
 * the summary is the position and its earliest lot's open date its entry date. A file of LOT rows
 * only is combined per account, instrument and side (quantity summed, price weighted).
 */
import { parseOptionSymbol, optionFromParts, parseRight } from './options.ts';
import { finishRow, OPTION_MULTIPLIER, type Instrument } from './position.ts';
import { hasColumns, isHeaderRepeat, mapColumns, readers, type ColumnSpec, type FormatOutput, type RowReader, type Table } from './rows.ts';
import { normalizeSymbol } from './symbols.ts';
import type { ParsedRow } from './types.ts';

const SPEC = {
  account: ['ClientAccountID', 'AccountID'],
  currency: ['CurrencyPrimary', 'Currency'],
  assetClass: ['AssetClass', 'AssetCategory'],
  subCategory: ['SubCategory'],
  symbol: ['Symbol'],
  conid: ['Conid'],
  underlying: ['UnderlyingSymbol'],
  strike: ['Strike'],
  expiry: ['Expiry'],
  putCall: ['Put/Call', 'PutCall'],
  multiplier: ['Multiplier'],
  quantity: ['Quantity', 'Position'],
  markPrice: ['MarkPrice'],
  costBasisPrice: ['CostBasisPrice'],
  costBasisMoney: ['CostBasisMoney'],
  openPrice: ['OpenPrice'],
  openDateTime: ['OpenDateTime'],
  holdingPeriod: ['HoldingPeriodDateTime'],
  side: ['Side'],
  level: ['LevelOfDetail'],
} as const satisfies ColumnSpec<string>;
type Col = keyof typeof SPEC;

const PRICES = [...SPEC.markPrice, ...SPEC.costBasisPrice, ...SPEC.costBasisMoney, ...SPEC.openPrice, 'PositionValue'];

/** A Flex Open Positions header: AssetClass, Symbol, a quantity and a price or cost column. */
export const detectIbkrFlex = (headers: readonly string[]): boolean => hasColumns(headers, [SPEC.assetClass, SPEC.symbol, SPEC.quantity, PRICES]);

const MARKERS = new Set(['BOF', 'EOF', 'BOA', 'EOA', 'BOS', 'EOS']);
const UNSUPPORTED: Record<string, string> = { FUT: 'futures', FOP: 'futures options', BOND: 'bonds', BILL: 'bills', WAR: 'warrants', CFD: 'CFDs', CMDTY: 'commodities', CRYPTO: 'crypto', IOPT: 'structured products' };

function optionOf(r: RowReader<Col>): Instrument | null {
  const bySymbol = parseOptionSymbol(r.text('symbol'));
  const right = parseRight(r.text('putCall'));
  const strike = r.has('strike') ? r.number('strike', 'strike') : null;
  const expiry = r.date('expiry', 'expiry');
  const byParts = r.has('underlying') && strike !== null && expiry !== null && right !== null ? optionFromParts({ underlying: r.text('underlying'), strike, expiry, right }) : null;
  if (bySymbol?.ok && byParts?.ok && bySymbol.value.symbol !== byParts.value.symbol) {
    r.problem('ambiguous_option', 'symbol', `symbol ${bySymbol.value.symbol} and UnderlyingSymbol/Strike/Expiry/Put/Call ${byParts.value.symbol} name different contracts`);
    return null;
  }
  const found = bySymbol?.ok ? bySymbol : byParts?.ok ? byParts : (bySymbol ?? byParts);
  if (found?.ok) return { kind: 'option', contract: found.value };
  if (found) r.problem(found.code, 'symbol', found.message);
  else r.problem('ambiguous_option', 'symbol', `option "${r.text('symbol')}" names no contract: expected an OCC symbol or UnderlyingSymbol, Strike, Expiry and Put/Call`);
  return null;
}

function instrumentOf(r: RowReader<Col>, assetClass: string): Instrument | null {
  if (assetClass === 'OPT') return optionOf(r);
  const sym = normalizeSymbol(r.text('symbol'));
  if (!sym.ok) {
    r.problem('bad_symbol', 'symbol', sym.message);
    return null;
  }
  const sub = r.text('subCategory').toUpperCase();
  return { kind: 'equity', symbol: sym.value, assetType: assetClass === 'FUND' ? 'mutual_fund' : sub === 'ETF' ? 'etf' : 'stock' };
}

/** Entry price per share: CostBasisPrice, else OpenPrice, else CostBasisMoney ÷ units, else MarkPrice. */
function entryPrice(r: RowReader<Col>, qty: number | null, multiplier: number): number | null {
  const cost = r.number('costBasisPrice', 'cost basis price');
  const money = r.number('costBasisMoney', 'cost basis money');
  if (cost !== null) {
    // Some exports state an option's cost per contract; CostBasisMoney tells which.
    if (multiplier > 1 && money !== null && qty && Math.abs(Math.abs(money) - Math.abs(cost * qty)) < 0.01 * Math.abs(money)) {
      r.warnings.push(`CostBasisPrice ${cost} is per contract (CostBasisMoney ${money}); divided by the multiplier ${multiplier}`);
      return Math.abs(cost) / multiplier;
    }
    return Math.abs(cost);
  }
  const open = r.number('openPrice', 'open price');
  if (open !== null) return Math.abs(open);
  if (money !== null && qty) {
    r.warnings.push('entry price computed as CostBasisMoney ÷ (quantity × multiplier): the file has no CostBasisPrice');
    return Math.abs(money) / (Math.abs(qty) * multiplier);
  }
  const mark = r.number('markPrice', 'mark price');
  if (mark !== null) r.warnings.push('entry price taken from MarkPrice: the file has no cost');
  else r.problem('missing_field', 'costBasisPrice', 'no CostBasisPrice, OpenPrice, CostBasisMoney or MarkPrice to give an entry price');
  return mark === null ? null : Math.abs(mark);
}

interface FlexRow {
  row: ParsedRow;
  level: string;
  /** Account and instrument: lots and their summary share it. */
  key: string;
}

function parseRow(r: RowReader<Col>, out: FormatOutput): FlexRow | null {
  const assetClass = r.text('assetClass').toUpperCase();
  if (assetClass === 'CASH') {
    out.skipped.push({ line: r.line, reason: `currency position ${r.text('symbol')}: cash is not imported` });
    return null;
  }
  if (assetClass !== 'STK' && assetClass !== 'OPT' && assetClass !== 'FUND') {
    const what = UNSUPPORTED[assetClass] ?? `asset class "${r.text('assetClass')}"`;
    r.problem('unsupported_asset', 'assetClass', `${r.text('symbol')}: ${what} cannot be imported (stocks, ETFs, funds and options can)`);
    return null;
  }
  const instrument = instrumentOf(r, assetClass);
  const multiplier = r.number('multiplier', 'multiplier') ?? (assetClass === 'OPT' ? OPTION_MULTIPLIER : 1);
  const quantity = r.number('quantity', 'quantity', true);
  const side = r.text('side').toLowerCase();
  if (quantity !== null && (side === 'long' || side === 'short') && (quantity < 0) !== (side === 'short')) {
    r.problem('bad_value', 'side', `Side says ${side} but Quantity is ${quantity}`);
  }
  const currency = r.text('currency').toUpperCase();
  if (currency !== '' && currency !== 'USD') r.warnings.push(`prices are in ${currency}`);
  const row = finishRow(r, {
    instrument,
    quantity,
    quantityColumn: 'quantity',
    entryPrice: entryPrice(r, quantity, multiplier),
    entryPriceColumn: 'costBasisPrice',
    entryDate: r.date('openDateTime', 'open date') ?? r.date('holdingPeriod', 'holding period date'),
    multiplier,
    multiplierColumn: 'multiplier',
  });
  if (!row) return null;
  return { row, level: r.text('level').toUpperCase(), key: `${r.text('account')}|${row.position.symbol}|${row.position.side}` };
}

/** Lots folded into one row each: quantity summed, price weighted by quantity, earliest date. */
function combineLots(lots: readonly FlexRow[]): ParsedRow[] {
  const groups = Map.groupBy(lots, (l) => l.key);
  return [...groups.values()].map((g) => {
    const first = g[0]!.row;
    if (g.length === 1) return first;
    const qty = g.reduce((s, l) => s + l.row.position.quantity, 0);
    const price = g.reduce((s, l) => s + l.row.position.quantity * l.row.position.entry_price, 0) / qty;
    const dates = g.map((l) => l.row.position.entry_date).filter((d): d is string => d !== null).sort();
    const lines = g.map((l) => l.row.line).join(', ');
    return { ...first, position: { ...first.position, quantity: qty, entry_price: price, entry_date: dates[0] ?? null }, warnings: [...first.warnings, `combined ${g.length} lots (lines ${lines})`] };
  });
}

export function parseIbkrFlex(table: Table): FormatOutput {
  const out: FormatOutput = { rows: [], skipped: [], problems: [] };
  const parsed: FlexRow[] = [];
  for (const r of readers(table, mapColumns(table.headers, SPEC))) {
    const first = (r.record.cells[0] ?? '').toUpperCase();
    if (MARKERS.has(first)) out.skipped.push({ line: r.line, reason: `Flex section marker ${first}` });
    else if (isHeaderRepeat(table, r.record)) out.skipped.push({ line: r.line, reason: 'repeated header row (next account)' });
    else {
      const p = parseRow(r, out);
      if (p) parsed.push(p);
      out.problems.push(...r.problems);
    }
  }
  const summaries = parsed.filter((p) => p.level !== 'LOT');
  const lots = parsed.filter((p) => p.level === 'LOT');
  if (summaries.length === 0) out.rows.push(...combineLots(lots));
  else {
    const earliest = new Map<string, string>();
    for (const l of lots) {
      const d = l.row.position.entry_date;
      const cur = earliest.get(l.key);
      if (d && (!cur || d < cur)) earliest.set(l.key, d);
      out.skipped.push({ line: l.row.line, reason: `lot of ${l.row.position.symbol}, counted in its summary row` });
    }
    for (const s of summaries) out.rows.push({ ...s.row, position: { ...s.row.position, entry_date: s.row.position.entry_date ?? earliest.get(s.key) ?? null } });
  }
  out.rows.sort((a, b) => a.line - b.line);
  out.skipped.sort((a, b) => a.line - b.line);
  return out;
}
