/**
 * Fidelity "Portfolio_Positions_Mmm-dd-yyyy.csv" export: `Account Number,Account Name,Symbol,
 * Description,Quantity,Last Price,…,Cost Basis Total,Average Cost Basis,Type` (older exports:
 * `Cost Basis`, `Cost Basis Per Share`; newer ones lower-case the headers), rows of every account
 * in one table, money-market core positions (`SPAXX**`), a "Pending Activity" row, and footer
 * lines: a disclaimer and "Date downloaded …". Options are written `-AAPL250117C150`. The Type
 * column is the account type of the lot (Cash, Margin, Short). No entry dates.
 */
import { parseOptionSymbol } from './options.ts';
import { finishRow, OPTION_MULTIPLIER, type Instrument } from './position.ts';
import { hasColumns, isHeaderRepeat, isLoneText, mapColumns, readers, type ColumnSpec, type FormatOutput, type RowReader, type Table } from './rows.ts';
import { normalizeSymbol } from './symbols.ts';

const SPEC = {
  account: ['Account Number'],
  symbol: ['Symbol'],
  description: ['Description'],
  quantity: ['Quantity'],
  lastPrice: ['Last Price'],
  costTotal: ['Cost Basis Total', 'Cost Basis'],
  costPerShare: ['Average Cost Basis', 'Cost Basis Per Share'],
  type: ['Type'],
} as const satisfies ColumnSpec<string>;
type Col = keyof typeof SPEC;

/** A Fidelity positions header: Account Number, Symbol, Quantity and Last Price. */
export const detectFidelity = (headers: readonly string[]): boolean => hasColumns(headers, [SPEC.account, SPEC.symbol, SPEC.quantity, SPEC.lastPrice]);

/** US mutual fund tickers are five letters ending in X (FXAIX); Fidelity does not say which holdings are funds. */
const MUTUAL_FUND = /^[A-Z]{4}X$/;

function skipReason(table: Table, r: RowReader<Col>): string | null {
  const symbol = r.text('symbol');
  const desc = r.text('description').toLowerCase();
  if (isLoneText(r.record)) return `footer line "${r.record.cells[0]!.slice(0, 60)}"`;
  if (isHeaderRepeat(table, r.record)) return 'repeated header row';
  if (/^pending activity$/i.test(symbol)) return 'pending activity row';
  if (symbol.endsWith('**') || desc.startsWith('held in money market') || desc.startsWith('held in fcash')) return `${symbol}: money-market core position (cash), not imported`;
  return null;
}

function instrumentOf(r: RowReader<Col>): Instrument | null {
  const option = parseOptionSymbol(r.text('symbol'));
  if (option) {
    if (option.ok) return { kind: 'option', contract: option.value };
    r.problem(option.code, 'symbol', option.message);
    return null;
  }
  const sym = normalizeSymbol(r.text('symbol'));
  if (!sym.ok) {
    r.problem('bad_symbol', 'symbol', sym.message);
    return null;
  }
  return { kind: 'equity', symbol: sym.value, assetType: MUTUAL_FUND.test(sym.value) ? 'mutual_fund' : 'stock' };
}

/** Entry price per share: Average Cost Basis, else Cost Basis Total ÷ (quantity × multiplier), else Last Price. */
function entryPrice(r: RowReader<Col>, qty: number | null, multiplier: number): number | null {
  const perShare = r.number('costPerShare', 'average cost basis');
  if (perShare !== null) return Math.abs(perShare) / (multiplier > 1 && r.has('costTotal') && qty ? perContract(r, qty, perShare, multiplier) : 1);
  const total = r.number('costTotal', 'cost basis total');
  if (total !== null && qty) return Math.abs(total) / (Math.abs(qty) * multiplier);
  const last = r.number('lastPrice', 'last price');
  if (last !== null) r.warnings.push('entry price taken from Last Price: the row has no cost basis');
  else r.problem('missing_field', 'costTotal', 'no Cost Basis Total, Average Cost Basis or Last Price to give an entry price');
  return last === null ? null : Math.abs(last);
}

/** Fidelity's average cost of an option is per contract when it equals total ÷ quantity; then divide by the multiplier. */
function perContract(r: RowReader<Col>, qty: number, perShare: number, multiplier: number): number {
  const total = r.number('costTotal', 'cost basis total');
  if (total === null) return 1;
  const contractCost = Math.abs(total) / Math.abs(qty);
  return Math.abs(contractCost - Math.abs(perShare)) < 0.01 * contractCost ? multiplier : 1;
}

export function parseFidelity(table: Table): FormatOutput {
  const out: FormatOutput = { rows: [], skipped: [], problems: [] };
  for (const r of readers(table, mapColumns(table.headers, SPEC))) {
    const reason = skipReason(table, r);
    if (reason) {
      out.skipped.push({ line: r.line, reason });
      continue;
    }
    const instrument = instrumentOf(r);
    const multiplier = instrument?.kind === 'option' ? OPTION_MULTIPLIER : 1;
    const q = r.number('quantity', 'quantity', true);
    const quantity = q !== null && q > 0 && /^short$/i.test(r.text('type')) ? -q : q;
    const row = finishRow(r, {
      instrument,
      quantity,
      quantityColumn: 'quantity',
      entryPrice: entryPrice(r, quantity, multiplier),
      entryPriceColumn: 'costPerShare',
      entryDate: null,
      multiplier,
    });
    if (row) out.rows.push(row);
    out.problems.push(...r.problems);
  }
  return out;
}
