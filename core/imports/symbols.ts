/**
 * Ticker normalization for imported holdings: trimmed, upper case, and a share class written the
 * one way SigmaSight stores it (`BRK-B`, whether the file says `BRK.B`, `BRK/B`, `BRK-B` or IB's
 * `BRK B`). Whether the symbol exists is the security master's question, not this module's.
 */

/** Separator between a ticker and its one-letter share class in stored symbols. */
export const SHARE_CLASS_SEPARATOR = '-';

/** Longest accepted ticker (OCC roots are at most 6; listed tickers with suffixes stay well under). */
export const MAX_SYMBOL_LENGTH = 15;

export type SymbolResult = { ok: true; value: string } | { ok: false; message: string };

const SHARE_CLASS = /^([A-Z][A-Z0-9]{0,5})[ ./-]([A-Z])$/;
const TICKER = /^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$/;

/**
 * Normalizes an equity, ETF or fund ticker.
 *
 * @example normalizeSymbol(' brk/b ') // { ok: true, value: 'BRK-B' }
 * @example normalizeSymbol('AAPL').ok // true
 * @example normalizeSymbol('NDA FI').ok // false (a space is not part of a ticker)
 */
export function normalizeSymbol(raw: string): SymbolResult {
  const s = raw.trim().toUpperCase().replace(/\s+/g, ' ');
  if (s === '') return { ok: false, message: 'the symbol is empty' };
  const cls = SHARE_CLASS.exec(s);
  const value = cls ? `${cls[1]}${SHARE_CLASS_SEPARATOR}${cls[2]}` : s;
  if (value.length > MAX_SYMBOL_LENGTH) return { ok: false, message: `"${raw.trim()}" is longer than ${MAX_SYMBOL_LENGTH} characters` };
  if (!TICKER.test(value)) return { ok: false, message: `"${raw.trim()}" is not a ticker: use letters and digits, with . or - between parts (BRK.B)` };
  return { ok: true, value };
}
