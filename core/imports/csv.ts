/**
 * Reads the text of a delimited file into records that keep their 1-based line numbers: UTF-8 BOM
 * stripped, the delimiter detected from the header line, RFC 4180 quoting (embedded delimiters,
 * doubled quotes, line breaks inside quotes) parsed by csv-parse, CRLF, LF and CR accepted, blank
 * lines dropped. Never throws on malformed text: an unclosed quote becomes a `bad_csv` problem.
 */
import { parse } from 'csv-parse/sync';
import type { Problem } from './types.ts';

export type Delimiter = ',' | ';' | '\t';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  /** Fields, trimmed of the whitespace around them (whitespace inside quotes is kept). */
  cells: string[];
}

export interface CsvTable {
  delimiter: Delimiter;
  /** Non-blank records in file order. */
  records: CsvRecord[];
  problems: Problem[];
}

const BOM = '\uFEFF';

/** Text without a leading byte-order mark. */
export const stripBom = (text: string): string => (text.startsWith(BOM) ? text.slice(1) : text);

/** Occurrences of each delimiter in `line` outside double quotes. */
function countOutsideQuotes(line: string): Record<Delimiter, number> {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  return counts;
}

/**
 * The delimiter of a file: on the first line that has any of `,` `;` or tab outside quotes (title
 * lines made of one quoted cell are passed over), the one that occurs most often; `,` on a tie or
 * when no line has any.
 *
 * @example detectDelimiter('symbol;quantity;notes\nAAPL;1;"a, b"') // ';'
 */
export function detectDelimiter(text: string): Delimiter {
  const lines = stripBom(text).split(/\r\n|\n|\r/, 50);
  for (const line of lines) {
    const counts = countOutsideQuotes(line);
    const best = DELIMITERS.reduce((a, b) => (counts[b] > counts[a] ? b : a));
    if (counts[best] > 0) return best;
  }
  return ',';
}

const isBlank = (cells: readonly string[]): boolean => cells.every((c) => c.trim() === '');

const newlines = (s: string): number => {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
};

/**
 * Parses `text` as delimited records. Line breaks are normalized to LF first (also inside quoted
 * fields), so a record's line number is the count of line breaks before it plus one.
 *
 * @example readCsv('\uFEFFa,b\r\n\r\n"x, y",2').records // [{ line: 1, cells: ['a','b'] }, { line: 3, cells: ['x, y','2'] }]
 */
export function readCsv(text: string, delimiter: Delimiter = detectDelimiter(text)): CsvTable {
  const body = stripBom(text).replace(/\r\n?/g, '\n');
  const records: CsvRecord[] = [];
  let line = 1;
  // With `raw: true` csv-parse hands on_record `{ record, raw }` (its typings say string[]).
  const onRecord = (value: unknown): null => {
    const { record, raw } = value as { record: string[]; raw: string };
    if (!isBlank(record)) records.push({ line, cells: record });
    line += newlines(raw);
    return null;
  };
  const problems: Problem[] = [];
  try {
    parse(body, {
      delimiter,
      record_delimiter: '\n',
      relax_quotes: true,
      relax_column_count: true,
      trim: true,
      raw: true,
      on_record: onRecord,
    });
  } catch (err) {
    problems.push(csvProblem(err, body, line));
  }
  return { delimiter, records, problems };
}

/** The problem for a csv-parse failure; the unclosed-quote case names the line the field starts on. */
function csvProblem(err: unknown, body: string, nextLine: number): Problem {
  const code = (err as { code?: unknown }).code;
  // The failing record starts after any blank lines that follow the last good record.
  const rest = body.split('\n').slice(nextLine - 1);
  const skip = rest.findIndex((l) => l.trim() !== '');
  const line = nextLine + Math.max(0, skip);
  const message =
    code === 'CSV_QUOTE_NOT_CLOSED'
      ? `a quoted field starting on line ${line} is never closed: check for a stray double quote (") in that row`
      : `the file cannot be read as delimited text from line ${line} on (${(err as Error).message ?? String(err)})`;
  return { line, column: null, code: 'bad_csv', message };
}
