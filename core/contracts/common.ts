/** Pieces shared by the REST, MCP and CLI contracts: ids, dates, booleans in query strings, data-quality flags. */
import { z } from '@hono/zod-openapi';
import { UUID_LIKE } from '../services/context.ts';

/**
 * Every text input: a string that Postgres can store and a log line can print. NUL, the other C0
 * control characters except tab, line feed and carriage return, DEL and lone surrogates are
 * refused at the contract, so they answer 422 (REST), a tool error (MCP) or a CLI message.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
export const TEXT_MESSAGE = 'must not contain NUL, control characters or unpaired surrogates';
export const isCleanText = (s: string): boolean => s.isWellFormed() && !CONTROL.test(s);
export const text = () => z.string().refine(isCleanText, TEXT_MESSAGE);

/** Loose 8-4-4-4-12 hex id (the demo ids are md5-derived, not RFC 4122 v4). */
export const IdSchema = text().regex(UUID_LIKE, 'must be an id of the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx').describe('portfolio, position or run id');

export const DateSchema = text()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'must be a real calendar date')
  .describe('date, YYYY-MM-DD');

/** A boolean query parameter: true/false/1/0. */
export const QueryBool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** Comma-separated upper-cased symbols (1–15 characters each, at most `max`). */
export const SymbolsCsv = (max: number) =>
  text()
    .max(2000)
    .transform((v) => [...new Set(v.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean))])
    .pipe(z.array(text().regex(/^[A-Z0-9.^_-]{1,15}$/, 'symbols are 1–15 characters of A–Z, 0–9, . ^ _ -')).max(max, `at most ${max} symbols`));

export const PortfolioIdParams = z.object({
  portfolio_id: IdSchema.openapi({ param: { name: 'portfolio_id', in: 'path' }, example: '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe' }),
});

/** Seed-guide spelling of the same path parameter. */
export const IdParams = z.object({
  id: IdSchema.openapi({ param: { name: 'id', in: 'path' }, example: '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe' }),
});

export const DataQualityFlagsSchema = z
  .object({
    stale: z.boolean().describe('true when any price behind the result was more than 3 trading days old'),
    stale_symbols: z.array(text()).describe('symbols priced off a stale close'),
    proxied: z.boolean().describe('true when any holding was priced or regressed through a declared proxy ETF'),
    proxied_symbols: z.array(text()).describe('holdings priced through a proxy, as SYMBOL→PROXY'),
    unpriced: z.boolean().describe('true when a holding had no price at all (no stored history): it is left out of values and risk, not counted as zero'),
    unpriced_symbols: z.array(text()).describe('holdings left out for want of a price; load their history (npm run market-data -- ensure-history) to include them'),
  })
  .openapi('DataQualityFlags');
export type DataQualityFlags = z.infer<typeof DataQualityFlagsSchema>;

/** Provenance every analytics result carries. */
export const ProvenanceShape = {
  as_of: text().nullable().describe('as-of date of the stored results (YYYY-MM-DD); null when unavailable'),
  run_id: text().nullable().describe('batch run that wrote the results; null when unavailable or written outside a run'),
  data_quality: DataQualityFlagsSchema.nullable().describe('stale and proxied inputs behind the result; null when unavailable'),
  stale: z.boolean().describe('true when the book changed after the run that wrote these results started: they show the book before that change, and a recompute is queued'),
  stale_change: z
    .object({ audit_id: text(), action: text().describe('e.g. position.add, position.close, import.commit'), at: text().describe('UTC ISO-8601'), door: text().describe('rest, mcp, cli or agent') })
    .nullable()
    .describe('the latest change to the book when stale (GET /portfolios/{id}/audit has the details), else null'),
};

export const MessageSchema = z
  .object({ message: text().describe('what happened'), success: z.boolean().describe('always true') })
  .openapi('Message');
