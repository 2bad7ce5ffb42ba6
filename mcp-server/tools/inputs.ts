/**
 * Tool input pieces: an optional portfolio id (the caller's first portfolio when omitted) and
 * JSON-native versions of REST query parameters (booleans, numbers and lists, not strings).
 */
import { z } from '@hono/zod-openapi';
import { IdSchema } from '../../core/contracts/common.ts';
import { resolvePortfolioId } from '../../core/services/portfolio-directory.ts';
import type { McpContext } from '../context.ts';

export const portfolioIdInput = IdSchema.nullish().describe("portfolio id; omit for the caller's only or first portfolio (list_user_portfolios gives the ids)");

/**
 * A list argument as a JSON array (`["AAPL","MSFT"]`) or as the REST query's comma-separated
 * string (`"AAPL,MSFT"`): an array is joined with commas and both go through `csv`, the REST
 * contract's own field (its limits, normalisation and output type), so both spellings give the
 * same value. `null` and omission are accepted when `csv` accepts them.
 */
export function listInput<T extends z.ZodType<unknown, string | null | undefined>>(csv: T, what = csv.description ?? 'list') {
  const forms = [z.array(z.string()).transform((items) => items.join(',')), z.string()] as const;
  const nullable = csv.safeParse(null).success;
  const union = z.union(nullable ? [...forms, z.null()] : forms, { error: 'must be a JSON array of strings (e.g. ["AAPL","MSFT"]) or one comma-separated string' });
  const entry = csv.safeParse(undefined).success ? union.optional() : union;
  return (entry as z.ZodType<string | null | undefined, string | string[] | null | undefined>).pipe(csv).describe(`${what.replace(/^comma-separated /, '')}: a JSON array of strings (one comma-separated string works too)`);
}

export const flag = (def: boolean, what: string) => z.boolean().nullish().transform((v) => v ?? def).describe(`${what} (default ${def})`);

/** The portfolio a tool call means, ownership checked. */
export const portfolioOf = (ctx: McpContext, id: string | null | undefined): Promise<string> => resolvePortfolioId(ctx.deps, ctx.principal, id);

export const usd = (x: number | null | undefined): string => (x == null ? 'n/a' : `${x < 0 ? '−' : ''}$${Math.abs(Math.round(x)).toLocaleString('en-US')}`);
export const pct = (x: number | null | undefined, digits = 1): string => (x == null ? 'n/a' : `${x.toFixed(digits)}%`);
export const unavailable = (reason: string | null | undefined) => `No stored results yet (${reason ?? 'no_results'}); run_portfolio_batch computes them.`;
