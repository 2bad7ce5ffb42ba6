/**
 * Listed option contracts in the spellings holdings files use, validated strictly and written back
 * as the compact OCC symbol SigmaSight stores (`AAPL250117C00150000`: root, expiry YYMMDD, C or P,
 * strike × 1000 on eight digits; the OCC/OSI layout without the padding spaces).
 *
 * Accepted spellings:
 * - OCC/OSI, padded or not: `AAPL  250117C00150000`, `AAPL250117C00150000` (IB's Symbol column);
 * - Schwab: `AAPL 01/17/2025 150.00 C`;
 * - IB's description: `AAPL 17JAN25 150 C`;
 * - Fidelity: `-AAPL250117C150` (strike as a plain decimal, with a leading minus sign).
 */
import { isoDate } from './dates.ts';

export type OptionRight = 'call' | 'put';

export interface OptionContract {
  /** Compact OCC symbol, e.g. AAPL250117C00150000. */
  symbol: string;
  underlying: string;
  /** Strike price per share. */
  strike: number;
  /** Expiration date YYYY-MM-DD. */
  expiry: string;
  right: OptionRight;
}

export type OptionResult = { ok: true; value: OptionContract } | { ok: false; code: 'bad_option' | 'ambiguous_option'; message: string };

/** Largest strike the OCC eight-digit field can hold (99,999.999). */
export const MAX_OCC_STRIKE = 99_999.999;

const ROOT = '([A-Z][A-Z0-9]{0,5})';
const OCC = new RegExp(`^${ROOT}\\s*(\\d{2})(\\d{2})(\\d{2})([CP])(\\d{8})$`);
const FIDELITY = new RegExp(`^-\\s*${ROOT}(\\d{2})(\\d{2})(\\d{2})([CP])(\\d+(?:\\.\\d+)?)$`);
const COMPACT_OTHER = new RegExp(`^${ROOT}\\s*(\\d{6})([CP])(\\d+(?:\\.\\d+)?)$`);
const SCHWAB = new RegExp(`^${ROOT}\\s+(\\d{1,2})/(\\d{1,2})/(\\d{4})\\s+\\$?(\\d+(?:\\.\\d+)?)\\s+([CP])$`);
const IB_DESC = new RegExp(`^${ROOT}\\s+(\\d{1,2})([A-Z]{3})(\\d{2})\\s+(\\d+(?:\\.\\d+)?)\\s+([CP])$`);
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** OCC symbol of a contract; the strike is rounded to the OCC's tenth of a cent. */
export function occSymbol(underlying: string, expiry: string, right: OptionRight, strike: number): string {
  const [y, m, d] = expiry.split('-');
  const strikeField = String(Math.round(strike * 1000)).padStart(8, '0');
  return `${underlying}${y!.slice(2)}${m}${d}${right === 'call' ? 'C' : 'P'}${strikeField}`;
}

/**
 * A contract from its parts, validated: root of 1–6 letters or digits starting with a letter,
 * a real expiry date, a strike > 0 that fits the OCC field in steps of 0.001.
 */
export function optionFromParts(p: { underlying: string; expiry: string; right: OptionRight; strike: number }): OptionResult {
  const underlying = p.underlying.trim().toUpperCase();
  const bad = (message: string): OptionResult => ({ ok: false, code: 'bad_option', message });
  if (!/^[A-Z][A-Z0-9]{0,5}$/.test(underlying)) return bad(`"${p.underlying}" is not an option root: 1–6 letters or digits, starting with a letter`);
  if (!(p.strike > 0) || p.strike > MAX_OCC_STRIKE) return bad(`strike ${p.strike} must be above 0 and at most ${MAX_OCC_STRIKE}`);
  if (Math.abs(p.strike * 1000 - Math.round(p.strike * 1000)) > 1e-6) return bad(`strike ${p.strike} has more than three decimals`);
  const [y, m, d] = p.expiry.split('-').map(Number);
  if (isoDate(y!, m!, d!) !== p.expiry) return bad(`expiry "${p.expiry}" is not a real date YYYY-MM-DD`);
  const strike = Math.round(p.strike * 1000) / 1000;
  return { ok: true, value: { symbol: occSymbol(underlying, p.expiry, p.right, strike), underlying, strike, expiry: p.expiry, right: p.right } };
}

const yearOf = (yy: string): number => 2000 + Number(yy);
const rightOf = (cp: string): OptionRight => (cp === 'C' ? 'call' : 'put');

function fromDateParts(root: string, y: number, m: number, d: number, cp: string, strike: number, raw: string): OptionResult {
  const expiry = isoDate(y, m, d);
  if (!expiry) return { ok: false, code: 'bad_option', message: `"${raw}" has no real expiry date (year ${y}, month ${m}, day ${d})` };
  return optionFromParts({ underlying: root, expiry, right: rightOf(cp), strike });
}

/**
 * Parses an option symbol or description in any accepted spelling. `null` when the text does not
 * look like an option at all (a plain ticker), so the caller can treat it as an equity.
 *
 * @example parseOptionSymbol('AAPL  250117C00150000') // ok, { symbol: 'AAPL250117C00150000', underlying: 'AAPL', strike: 150, expiry: '2025-01-17', right: 'call' }
 * @example parseOptionSymbol('AAPL 01/17/2025 150.00 C') // the same contract
 * @example parseOptionSymbol('AAPL') // null
 */
export function parseOptionSymbol(raw: string): OptionResult | null {
  const s = raw.trim().toUpperCase().replace(/\s+/g, ' ');
  const padded = raw.trim().toUpperCase();
  let m = OCC.exec(padded) ?? OCC.exec(s);
  if (m) return fromDateParts(m[1]!, yearOf(m[2]!), Number(m[3]), Number(m[4]), m[5]!, Number(m[6]) / 1000, raw.trim());
  if ((m = FIDELITY.exec(s))) return fromDateParts(m[1]!, yearOf(m[2]!), Number(m[3]), Number(m[4]), m[5]!, Number(m[6]), raw.trim());
  if ((m = SCHWAB.exec(s))) return fromDateParts(m[1]!, Number(m[4]), Number(m[2]), Number(m[3]), m[6]!, Number(m[5]), raw.trim());
  if ((m = IB_DESC.exec(s))) {
    const month = MONTHS.indexOf(m[3]!) + 1;
    if (month === 0) return { ok: false, code: 'bad_option', message: `"${raw.trim()}" has an unknown month "${m[3]}"` };
    return fromDateParts(m[1]!, yearOf(m[4]!), month, Number(m[2]), m[6]!, Number(m[5]), raw.trim());
  }
  if ((m = COMPACT_OTHER.exec(s))) {
    return {
      ok: false,
      code: 'ambiguous_option',
      message: `"${raw.trim()}" looks like an OCC symbol but its strike "${m[4]}" is not the eight-digit OCC field (strike × 1000, e.g. 00150000 for 150): give the full OCC symbol, or underlying, strike, expiry and right`,
    };
  }
  return null;
}

/** `call`/`put` from C, P, CALL, PUT in any case; null otherwise. */
export function parseRight(raw: string): OptionRight | null {
  const s = raw.trim().toUpperCase();
  if (s === 'C' || s === 'CALL') return 'call';
  if (s === 'P' || s === 'PUT') return 'put';
  return null;
}
