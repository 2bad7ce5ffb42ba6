/**
 * What every format parser shares: finding columns by header name, reading one row's cells as
 * text, numbers and dates while collecting problems with the row's line and the column's header
 * as written in the file, and the result shape a format returns.
 */
import type { CsvRecord } from './csv.ts';
import { parseDate } from './dates.ts';
import { isEmptyCell, parseNumber, type DecimalMark } from './numbers.ts';
import type { ParsedRow, Problem, ProblemCode, SkippedRow } from './types.ts';

/** The header row and the records after it. */
export interface Table {
  headers: string[];
  headerLine: number;
  records: CsvRecord[];
  decimal: DecimalMark;
}

export interface FormatOutput {
  rows: ParsedRow[];
  skipped: SkippedRow[];
  problems: Problem[];
}

/** Header names compared without case, spaces or punctuation: `Qty (Quantity)` → `qtyquantity`. */
export const headerKey = (h: string): string => h.trim().toLowerCase().replace(/[^a-z0-9]+/g, '');

/** Canonical column name → the header names (any case or punctuation) that carry it. */
export type ColumnSpec<K extends string> = Record<K, readonly string[]>;

/** Index of each canonical column in `headers` (-1 when absent); the first matching name wins. */
export function mapColumns<K extends string>(headers: readonly string[], spec: ColumnSpec<K>): Record<K, number> {
  const keys = headers.map(headerKey);
  const out = {} as Record<K, number>;
  for (const col of Object.keys(spec) as K[]) {
    out[col] = -1;
    for (const name of spec[col]) {
      const i = keys.indexOf(headerKey(name));
      if (i !== -1) {
        out[col] = i;
        break;
      }
    }
  }
  return out;
}

/** True when every group has at least one of its names among `headers`. */
export function hasColumns(headers: readonly string[], groups: readonly (readonly string[])[]): boolean {
  const keys = new Set(headers.map(headerKey));
  return groups.every((names) => names.some((n) => keys.has(headerKey(n))));
}

/** Reads the cells of one record and records its problems. */
export class RowReader<K extends string> {
  readonly problems: Problem[] = [];
  readonly warnings: string[] = [];
  constructor(
    readonly record: CsvRecord,
    private readonly table: Table,
    private readonly cols: Record<K, number>,
  ) {}

  get line(): number {
    return this.record.line;
  }

  /** Header of a column as written in the file (the canonical name when the column is absent). */
  header(col: K): string {
    const i = this.cols[col];
    return i >= 0 ? (this.table.headers[i] ?? col) : col;
  }

  /** Trimmed text of a cell; '' when the column or the cell is absent. */
  text(col: K): string {
    const i = this.cols[col];
    return i >= 0 ? (this.record.cells[i] ?? '').trim() : '';
  }

  /** True when the column exists and the cell holds a value (not '', `--`, `n/a`). */
  has(col: K): boolean {
    return !isEmptyCell(this.text(col));
  }

  problem(code: ProblemCode, col: K | null, message: string): void {
    this.problems.push({ line: this.line, column: col === null ? null : this.header(col), code, message });
  }

  /** A number, or null when the cell is empty (a `missing_field` problem if `required`) or bad. */
  number(col: K, what: string, required = false): number | null {
    if (!this.has(col)) {
      if (required) this.problem('missing_field', col, `${what} is missing`);
      return null;
    }
    const r = parseNumber(this.text(col), this.table.decimal);
    if (r.ok) return r.value;
    this.problem('bad_number', col, `${what}: ${r.message}`);
    return null;
  }

  /** An ISO date, or null when the cell is empty or bad (bad adds a `bad_date` problem). */
  date(col: K, what: string): string | null {
    if (!this.has(col)) return null;
    const r = parseDate(this.text(col));
    if (r.ok) return r.value;
    this.problem('bad_date', col, `${what}: ${r.message}`);
    return null;
  }
}

/** Readers for every record of a table. */
export const readers = <K extends string>(table: Table, cols: Record<K, number>): RowReader<K>[] =>
  table.records.map((r) => new RowReader(r, table, cols));

/** True when a record repeats the header row (IB repeats it for every account). */
export const isHeaderRepeat = (table: Table, rec: CsvRecord): boolean =>
  rec.cells.length === table.headers.length && rec.cells.every((c, i) => headerKey(c) === headerKey(table.headers[i] ?? ''));

/** A record that is one non-empty cell and nothing else: titles, footers, disclaimers. */
export const isLoneText = (rec: CsvRecord): boolean => !isEmptyCell(rec.cells[0]) && rec.cells.slice(1).every((c) => isEmptyCell(c));

/** Splits tags on `;` or `|`, trims, drops empties and repeats (first spelling kept). */
export function splitTags(raw: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of raw.split(/[;|]/)) {
    const tag = t.trim().replace(/\s+/g, ' ');
    if (tag === '' || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out;
}
