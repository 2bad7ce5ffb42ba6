/**
 * Holdings import, the pure half: a file's text in, normalized positions, skipped rows and
 * problems out. Nothing here reads or writes the database; the import service checks symbols
 * against the security master and commits what the user accepted.
 *
 * The format is detected from the header row, which need not be the first line (Schwab puts title
 * lines above it). A file of more than MAX_IMPORT_ROWS data rows throws ImportTooLargeError.
 */
import { createHash } from 'node:crypto';
import { readCsv } from './csv.ts';
import { detectFidelity, parseFidelity } from './fidelity.ts';
import { detectIbkrFlex, parseIbkrFlex } from './ibkr-flex.ts';
import { headerKey, type FormatOutput, type Table } from './rows.ts';
import { detectSchwab, parseSchwab } from './schwab.ts';
import { detectSigmaSight, parseSigmaSight, SIGMASIGHT_COLUMNS } from './sigmasight.ts';
import { ImportTooLargeError, MAX_IMPORT_ROWS, type ImportFormat, type ParsedHoldings, type ParsedPosition, type ParsedRow, type Problem } from './types.ts';

export * from './types.ts';
export { SIGMASIGHT_COLUMNS } from './sigmasight.ts';

interface FormatEntry {
  format: ImportFormat;
  detect: (headers: readonly string[]) => boolean;
  parse: (table: Table) => FormatOutput;
}

/** Broker layouts first: their headers are specific; the SigmaSight schema is the general one. */
const FORMATS: readonly FormatEntry[] = [
  { format: 'ibkr_flex', detect: detectIbkrFlex, parse: parseIbkrFlex },
  { format: 'fidelity', detect: detectFidelity, parse: parseFidelity },
  { format: 'schwab', detect: detectSchwab, parse: parseSchwab },
  { format: 'sigmasight', detect: detectSigmaSight, parse: parseSigmaSight },
];

/** Title lines a header may sit below (Schwab has two or three). */
const HEADER_SEARCH_RECORDS = 20;

/**
 * The format whose header row this is, or null.
 *
 * @example detectFormat(['symbol', 'quantity', 'entry_price']) // 'sigmasight'
 */
export function detectFormat(headers: readonly string[]): ImportFormat | null {
  return FORMATS.find((f) => f.detect(headers))?.format ?? null;
}

export interface ParseHoldingsOptions {
  /** Parse as this format instead of detecting it (the header row must still match it). */
  format?: ImportFormat;
  /** Most data rows accepted; default MAX_IMPORT_ROWS. */
  maxRows?: number;
}

/** sha256 (hex) of the positions, independent of their order in the file. */
export function contentHash(positions: readonly ParsedPosition[]): string {
  const canonical = positions.map((p) => JSON.stringify(p, Object.keys(p).sort())).sort();
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** Moves the second and later rows of the same instrument and side into `duplicate` problems. */
function dropDuplicates(rows: ParsedRow[], symbolColumn: string | null): { rows: ParsedRow[]; problems: Problem[] } {
  const first = new Map<string, number>();
  const kept: ParsedRow[] = [];
  const problems: Problem[] = [];
  for (const row of rows) {
    // one position per symbol and entry date (the book's natural key); lots of other dates are separate positions
    const { symbol, entry_date: date } = row.position;
    const key = `${symbol}|${date ?? ''}`;
    const seen = first.get(key);
    if (seen === undefined) {
      first.set(key, row.line);
      kept.push(row);
    } else {
      problems.push({ line: row.line, column: symbolColumn, code: 'duplicate', message: `${symbol}${date ? ` entered ${date}` : ' without an entry date'} is already on line ${seen}: combine the two rows into one position, or give each lot its own entry date` });
    }
  }
  return { rows: kept, problems };
}

function unknownFormat(line: number, seen: readonly string[]): Problem {
  const shown = seen.slice(0, 8).map((h) => `"${h}"`).join(', ');
  return {
    line,
    column: null,
    code: 'unknown_format',
    message: `no known header row found (first row: ${shown || 'empty'}): use the SigmaSight columns ${SIGMASIGHT_COLUMNS.join(', ')}, or an Interactive Brokers Flex Open Positions, Schwab Positions or Fidelity Portfolio Positions export`,
  };
}

/**
 * Parses a holdings file.
 *
 * @throws ImportTooLargeError when the file has more than `maxRows` data rows.
 * @example parseHoldingsFile('symbol,quantity,entry_price\nAAPL,10,190').rows[0].position.symbol // 'AAPL'
 */
export function parseHoldingsFile(text: string, opts: ParseHoldingsOptions = {}): ParsedHoldings {
  const maxRows = opts.maxRows ?? MAX_IMPORT_ROWS;
  const csv = readCsv(text);
  const base = { delimiter: csv.delimiter, rows: [], skipped: [], content_hash: contentHash([]) };
  const candidates = opts.format ? FORMATS.filter((f) => f.format === opts.format) : FORMATS;
  const search = csv.records.slice(0, HEADER_SEARCH_RECORDS);
  const headerAt = search.findIndex((rec) => candidates.some((f) => f.detect(rec.cells)));
  if (headerAt === -1) {
    const problems = csv.records.length === 0
      ? [...csv.problems, ...(csv.problems.length ? [] : [{ line: 1, column: null, code: 'empty_file' as const, message: 'the file has no rows' }])]
      : [unknownFormat(csv.records[0]!.line, csv.records[0]!.cells), ...csv.problems];
    return { ...base, format: null, header_line: null, problems };
  }
  const header = csv.records[headerAt]!;
  const entry = candidates.find((f) => f.detect(header.cells))!;
  const records = csv.records.slice(headerAt + 1);
  if (records.length > maxRows) throw new ImportTooLargeError(records.length, maxRows);
  const table: Table = { headers: header.cells, headerLine: header.line, records, decimal: csv.delimiter === ';' ? ',' : '.' };
  const out = entry.parse(table);
  const symbolColumn = header.cells.find((h) => headerKey(h) === 'symbol' || headerKey(h) === 'ticker') ?? null;
  const deduped = dropDuplicates(out.rows, symbolColumn);
  const problems = [...out.problems, ...deduped.problems, ...csv.problems].sort((a, b) => a.line - b.line);
  return {
    format: entry.format,
    delimiter: csv.delimiter,
    header_line: header.line,
    rows: deduped.rows,
    skipped: out.skipped,
    problems,
    content_hash: contentHash(deduped.rows.map((r) => r.position)),
  };
}
