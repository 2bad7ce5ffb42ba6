/**
 * Calendar dates as holdings files write them, parsed strictly into ISO `YYYY-MM-DD`:
 * `2025-01-17`, `2025/01/17`, `01/17/2025` (US month first), `20250117` and `17.01.2025`
 * (day first). A time after the date (`2025-01-17 10:30`, IB's `20250117;103000`) is ignored.
 * Two-digit years, impossible days (`2025-02-30`) and years outside 1900–2199 are refused.
 */

export type DateResult = { ok: true; value: string } | { ok: false; message: string };

export const DATE_FORMATS_HINT = 'YYYY-MM-DD, MM/DD/YYYY, YYYYMMDD or DD.MM.YYYY';

const PATTERNS: readonly { re: RegExp; order: 'ymd' | 'mdy' | 'dmy' }[] = [
  { re: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, order: 'ymd' },
  { re: /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, order: 'ymd' },
  { re: /^(\d{4})(\d{2})(\d{2})$/, order: 'ymd' },
  { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: 'mdy' },
  { re: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, order: 'dmy' },
];

const pad = (n: number): string => String(n).padStart(2, '0');

/** True when year-month-day is a real day of the Gregorian calendar. */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= last;
}

/** `YYYY-MM-DD` for a real date, else null. */
export function isoDate(y: number, m: number, d: number): string | null {
  return y >= 1900 && y <= 2199 && isCalendarDate(y, m, d) ? `${y}-${pad(m)}-${pad(d)}` : null;
}

/**
 * Parses a date cell.
 *
 * @example parseDate('01/17/2025') // { ok: true, value: '2025-01-17' }
 * @example parseDate('20240115;093000') // { ok: true, value: '2024-01-15' }
 * @example parseDate('2025-02-30').ok // false
 */
export function parseDate(raw: string): DateResult {
  const text = raw.trim();
  const datePart = text.split(/[;T ,]/, 1)[0] ?? '';
  for (const { re, order } of PATTERNS) {
    const m = re.exec(datePart);
    if (!m) continue;
    const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const [y, mo, d] = order === 'ymd' ? [a, b, c] : order === 'mdy' ? [c, a, b] : [c, b, a];
    const iso = isoDate(y, mo, d);
    if (iso) return { ok: true, value: iso };
    return { ok: false, message: `"${text}" is not a real calendar date (read as year ${y}, month ${mo}, day ${d})` };
  }
  return { ok: false, message: `"${text}" is not a date: write it as ${DATE_FORMATS_HINT}` };
}
