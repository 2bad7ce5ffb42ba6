/**
 * What a holdings file becomes once parsed: normalized positions with the file line they came
 * from, the rows skipped on purpose (cash, totals, disclaimers) and every problem found, each with
 * its line, column and a plain message. The REST, MCP and CLI contracts of the import preview are
 * built from these schemas.
 */
import { z } from '@hono/zod-openapi';

/** File formats recognised by their header row. */
export const IMPORT_FORMATS = ['sigmasight', 'ibkr_flex', 'schwab', 'fidelity'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const ASSET_TYPES = ['stock', 'etf', 'mutual_fund', 'option'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

export const PROBLEM_CODES = [
  'unknown_format',
  'bad_csv',
  'empty_file',
  'missing_column',
  'missing_field',
  'bad_number',
  'bad_date',
  'bad_symbol',
  'bad_value',
  'bad_option',
  'ambiguous_option',
  'unsupported_asset',
  'duplicate',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** More data rows than this in one file is refused whole (the API answers 413). */
export const MAX_IMPORT_ROWS = 10_000;

export const ImportProblemSchema = z
  .object({
    line: z.number().int().min(1).describe('1-based line of the file where the problem is (the first line of a multi-line row)'),
    column: z.string().nullable().describe('header of the offending column as written in the file, null for a whole-row or whole-file problem'),
    code: z.enum(PROBLEM_CODES).describe('machine-readable kind of problem'),
    message: z.string().describe('plain-language explanation, naming the value found and what was expected'),
  })
  .openapi('ImportProblem');
export type Problem = z.infer<typeof ImportProblemSchema>;

export const ParsedPositionSchema = z
  .object({
    symbol: z.string().describe('normalized ticker (upper case, share class with a dash, XYZ-B, as the bundled prices spell it) or, for an option, the compact OCC symbol such as AAPL250117C00150000'),
    asset_type: z.enum(ASSET_TYPES).describe('stock, etf, mutual_fund or option'),
    side: z.enum(['long', 'short']).describe('long or short'),
    quantity: z.number().positive().describe('shares, fund units or option contracts; always > 0, the direction is in side'),
    entry_price: z.number().min(0).describe('entry price per share in the position currency; for an option the premium per underlying share (not per contract)'),
    entry_date: z.string().nullable().describe('entry date YYYY-MM-DD, null when the file does not say'),
    underlying: z.string().nullable().describe('underlying ticker of an option, null otherwise'),
    strike: z.number().positive().nullable().describe('strike price of an option, null otherwise'),
    expiry: z.string().nullable().describe('expiration date YYYY-MM-DD of an option, null otherwise'),
    right: z.enum(['call', 'put']).nullable().describe('call or put for an option, null otherwise'),
    multiplier: z.number().int().positive().describe('shares per contract: 100 for listed equity options, 1 otherwise'),
    tags: z.array(z.string()).describe('tag names, trimmed, without duplicates'),
    notes: z.string().nullable().describe('free text from the file, null when empty'),
  })
  .openapi('ParsedPosition');
export type ParsedPosition = z.infer<typeof ParsedPositionSchema>;

export const ParsedRowSchema = z
  .object({
    line: z.number().int().min(1).describe('1-based line of the file where this row starts'),
    position: ParsedPositionSchema,
    warnings: z.array(z.string()).describe('what was assumed for this row (for instance an entry price taken from the market price because the file has no cost)'),
  })
  .openapi('ParsedImportRow');
export type ParsedRow = z.infer<typeof ParsedRowSchema>;

export const SkippedRowSchema = z
  .object({
    line: z.number().int().min(1).describe('1-based line of the skipped row'),
    reason: z.string().describe('why the row is not a position (cash, account total, disclaimer, repeated header, …)'),
  })
  .openapi('SkippedImportRow');
export type SkippedRow = z.infer<typeof SkippedRowSchema>;

export const ParsedHoldingsSchema = z
  .object({
    format: z.enum(IMPORT_FORMATS).nullable().describe('detected file format, null when no known header was found'),
    delimiter: z.enum([',', ';', '\t']).describe('field delimiter detected from the header line'),
    header_line: z.number().int().min(1).nullable().describe('1-based line of the header row, null when none was found'),
    rows: z.array(ParsedRowSchema).describe('rows understood as positions, in file order'),
    skipped: z.array(SkippedRowSchema).describe('rows left out on purpose; never errors'),
    problems: z.array(ImportProblemSchema).describe('every problem, ordered by line; an import with problems cannot be committed'),
    content_hash: z.string().describe('sha256 (hex) of the normalized positions, independent of row order, delimiter, quoting and BOM: the same holdings give the same hash'),
  })
  .openapi('ParsedHoldings');
export type ParsedHoldings = z.infer<typeof ParsedHoldingsSchema>;

/** Thrown when a file has more than `limit` data rows; the REST door answers 413. */
export class ImportTooLargeError extends Error {
  override readonly name = 'ImportTooLargeError';
  readonly code = 'IMPORT_TOO_LARGE' as const;
  readonly status = 413 as const;
  constructor(
    readonly rows: number,
    readonly limit: number,
  ) {
    super(`the file has more than ${limit.toLocaleString('en-US')} data rows (found ${rows.toLocaleString('en-US')}); split it into smaller files`);
  }
}
