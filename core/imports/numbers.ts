/**
 * Numbers as brokers and spreadsheets write them: thousands separators, a decimal point or a
 * decimal comma, currency symbols, percent signs, and negatives as `-1`, `(1)`, `1-` or `-$1`.
 * Parsing is strict: a value that could be read two ways (`1,23` with a decimal point) is refused.
 */

/** `.` for files written with a decimal point, `,` for files with a decimal comma (`;`-delimited). */
export type DecimalMark = '.' | ',';

export type NumberResult = { ok: true; value: number } | { ok: false; message: string };

/** Cells that mean "no value" in broker exports (not `NA` or `NONE`: those can be tickers). */
const EMPTY = new Set(['', '--', '-', 'n/a']);

/** True when a cell holds no value (`""`, `--`, `n/a`, …). */
export const isEmptyCell = (s: string | undefined): boolean => s === undefined || EMPTY.has(s.trim().toLowerCase());

const CURRENCY = /[$€£¥]|\b(?:USD|EUR|GBP|CHF|CAD)\b/gi;
/** Group separators other than the thousands mark itself: spaces, no-break spaces, apostrophes. */
const SPACES = /[ \u00a0\u202f'’]/g;

/** Strips the sign decorations; returns the bare digits and whether the value is negative. */
function unsign(raw: string): { body: string; negative: boolean } | null {
  let s = raw.trim();
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  s = s.replace(CURRENCY, '').trim();
  if (s.endsWith('%')) s = s.slice(0, -1).trim();
  if (s.endsWith('-')) {
    if (negative) return null;
    negative = true;
    s = s.slice(0, -1).trim();
  } else if (s.startsWith('-') || s.startsWith('+') || s.startsWith('−')) {
    if (negative && !s.startsWith('+')) return null;
    negative = negative || !s.startsWith('+');
    s = s.slice(1).trim();
  }
  s = s.replace(CURRENCY, '').trim();
  return { body: s, negative };
}

/** Digits with `group` every three places and an optional `decimal` part. */
function grouped(body: string, group: string, decimal: string): string | null {
  const [int, frac, extra] = body.split(decimal);
  if (extra !== undefined || int === undefined) return null;
  const groups = int.split(group);
  if (groups.length > 1 && !(/^\d{1,3}$/.test(groups[0]!) && groups.slice(1).every((g) => /^\d{3}$/.test(g)))) return null;
  const digits = groups.join('');
  if (!/^\d+$/.test(digits) && !(digits === '' && frac !== undefined)) return null;
  if (frac !== undefined && !/^\d+$/.test(frac)) return null;
  return `${digits || '0'}${frac !== undefined ? `.${frac}` : ''}`;
}

function normalize(body: string, decimal: DecimalMark): string | null {
  const group = decimal === '.' ? ',' : '.';
  const s = body.replace(SPACES, group);
  if (decimal === '.') return grouped(s, ',', '.');
  // Decimal comma: `1.234,50`; a lone point not followed by exactly three-digit groups is a decimal point.
  if (!s.includes(',') && /^\d*\.\d+$/.test(s) && !/^\d{1,3}(\.\d{3})+$/.test(s)) return s;
  return grouped(s, '.', ',');
}

/**
 * Parses a number written in a holdings file.
 *
 * - `decimal: '.'`: `1,234.50`, `1234.5`, `.5`; a comma must group thousands (`1,23` is refused).
 * - `decimal: ','`: `1.234,50`, `1234,5`; `12.5` (not a thousands group) is read as 12.5.
 * - Space, no-break space and apostrophe may group thousands in either mode (`1 234,50`).
 * - `$ € £ ¥` and `USD`/`EUR`/… are ignored; `%` is dropped and the number kept as written
 *   (`12.5%` → 12.5).
 * - Negative: `-1`, `−1`, `(1)`, `1-`, `-$1`, `$-1`.
 *
 * @example parseNumber('(1,234.50)', '.') // { ok: true, value: -1234.5 }
 * @example parseNumber('1.234,50', ',') // { ok: true, value: 1234.5 }
 */
export function parseNumber(raw: string, decimal: DecimalMark = '.'): NumberResult {
  const bad = (why: string): NumberResult => ({ ok: false, message: `"${raw.trim()}" is not a number: ${why}` });
  const parts = unsign(raw);
  if (!parts || parts.body === '') return bad('no digits');
  const text = normalize(parts.body, decimal);
  if (text === null) {
    return bad(
      decimal === '.'
        ? 'write it like 1234.56 or 1,234.56 (a comma may only group thousands)'
        : 'write it like 1234,56 or 1.234,56 (a point may only group thousands)',
    );
  }
  const value = Number(text);
  if (!Number.isFinite(value)) return bad('out of range');
  return { ok: true, value: parts.negative && value !== 0 ? -value : value };
}
