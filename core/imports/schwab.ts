/**
 * Charles Schwab "Positions" CSV export: title lines above the header ("Positions for account …
 * as of …"), then `"Symbol","Description","Quantity" (or "Qty (Quantity)"),"Price",…,"Cost
 * Basis",…,"Security Type"` (or "Asset Type"), one row a holding, and a "Cash & Cash Investments"
 * and an "Account Total" (or "Positions Total") row per account. An export of all accounts
 * repeats the title, the account name and the header for each account. Options are written
 * `AAPL 01/17/2025 150.00 C`. Schwab gives total cost, not cost per share, and no entry date.
 */
import { parseOptionSymbol } from './options.ts';
import { finishRow, OPTION_MULTIPLIER, type Instrument } from './position.ts';
import { hasColumns, isHeaderRepeat, isLoneText, mapColumns, readers, type ColumnSpec, type FormatOutput, type RowReader, type Table } from './rows.ts';
import { normalizeSymbol } from './symbols.ts';
import type { AssetType } from './types.ts';

const SPEC = {
  symbol: ['Symbol'],
  description: ['Description'],
  quantity: ['Quantity', 'Qty (Quantity)', 'Qty'],
  price: ['Price'],
  costBasis: ['Cost Basis'],
  costPerShare: ['Cost/Share'],
  securityType: ['Security Type', 'Asset Type'],
} as const satisfies ColumnSpec<string>;
type Col = keyof typeof SPEC;

/** A Schwab Positions header: Symbol, Description, a quantity and Price, and no account number column. */
export const detectSchwab = (headers: readonly string[]): boolean =>
  hasColumns(headers, [SPEC.symbol, SPEC.description, SPEC.quantity, SPEC.price]) && !hasColumns(headers, [['Account Number']]);

const TOTAL = /^(account|positions) total$/i;
const CASH = /^cash (&|and) (cash investments|money market)$/i;

type Kind = AssetType | 'cash' | 'unsupported' | null;

/** Security Type → asset type; null when the column is empty (decided from the symbol). */
function kindOf(securityType: string): Kind {
  const t = securityType.toLowerCase();
  if (t === '' || t === '--') return null;
  if (t.includes('option')) return 'option';
  if (t.includes('etf') || t.includes('closed end')) return 'etf';
  if (t.includes('mutual fund')) return 'mutual_fund';
  if (t.includes('cash') || t.includes('money market')) return 'cash';
  if (t.includes('equity') || t.includes('stock')) return 'stock';
  return 'unsupported';
}

function instrumentOf(r: RowReader<Col>, kind: Kind): Instrument | null {
  const option = parseOptionSymbol(r.text('symbol'));
  if (option && (kind === 'option' || kind === null)) {
    if (option.ok) return { kind: 'option', contract: option.value };
    r.problem(option.code, 'symbol', option.message);
    return null;
  }
  if (kind === 'option') {
    r.problem('ambiguous_option', 'symbol', `"${r.text('symbol')}" is an option but not written as ROOT MM/DD/YYYY STRIKE C|P`);
    return null;
  }
  const sym = normalizeSymbol(r.text('symbol'));
  if (!sym.ok) {
    r.problem('bad_symbol', 'symbol', sym.message);
    return null;
  }
  return { kind: 'equity', symbol: sym.value, assetType: kind === null || kind === 'cash' || kind === 'unsupported' ? 'stock' : kind };
}

/** Entry price per share: Cost/Share, else Cost Basis ÷ (quantity × multiplier), else Price. */
function entryPrice(r: RowReader<Col>, qty: number | null, multiplier: number): number | null {
  const perShare = r.number('costPerShare', 'cost per share');
  if (perShare !== null) return Math.abs(perShare);
  const total = r.number('costBasis', 'cost basis');
  if (total !== null && qty) return Math.abs(total) / (Math.abs(qty) * multiplier);
  const price = r.number('price', 'price');
  if (price !== null) r.warnings.push('entry price taken from Price: the row has no cost basis');
  else r.problem('missing_field', 'costBasis', 'no Cost Basis or Price to give an entry price');
  return price === null ? null : Math.abs(price);
}

/** Why a row is not a holding, or null when it is one. */
function skipReason(table: Table, r: RowReader<Col>): string | null {
  const first = r.text('symbol');
  if (TOTAL.test(first)) return `${first} row`;
  if (CASH.test(first)) return 'cash row: cash is not imported';
  if (isHeaderRepeat(table, r.record)) return 'repeated header row (next account)';
  if (isLoneText(r.record)) return `title line "${r.record.cells[0]}"`;
  return null;
}

export function parseSchwab(table: Table): FormatOutput {
  const out: FormatOutput = { rows: [], skipped: [], problems: [] };
  for (const r of readers(table, mapColumns(table.headers, SPEC))) {
    const reason = skipReason(table, r);
    if (reason) {
      out.skipped.push({ line: r.line, reason });
      continue;
    }
    const kind = kindOf(r.text('securityType'));
    if (kind === 'cash') {
      out.skipped.push({ line: r.line, reason: `${r.text('symbol')}: ${r.text('securityType')} is cash, not imported` });
      continue;
    }
    if (kind === 'unsupported') {
      r.problem('unsupported_asset', 'securityType', `${r.text('symbol')}: "${r.text('securityType')}" cannot be imported (stocks, ETFs, mutual funds and options can)`);
      out.problems.push(...r.problems);
      continue;
    }
    const instrument = instrumentOf(r, kind);
    const multiplier = instrument?.kind === 'option' ? OPTION_MULTIPLIER : 1;
    const quantity = r.number('quantity', 'quantity', true);
    const row = finishRow(r, {
      instrument,
      quantity,
      quantityColumn: 'quantity',
      entryPrice: entryPrice(r, quantity, multiplier),
      entryPriceColumn: 'costBasis',
      entryDate: null,
      multiplier,
    });
    if (row) out.rows.push(row);
    out.problems.push(...r.problems);
  }
  return out;
}
