/**
 * Tool input pieces: an optional portfolio id (the caller's first portfolio when omitted) and
 * JSON-native versions of REST query parameters (booleans and numbers, not strings).
 */
import { z } from '@hono/zod-openapi';
import { IdSchema } from '../../core/contracts/common.ts';
import { resolvePortfolioId } from '../../core/services/portfolio-directory.ts';
import type { McpContext } from '../context.ts';

export const portfolioIdInput = IdSchema.nullish().describe("portfolio id; omit for the caller's only or first portfolio (list_user_portfolios gives the ids)");

export const flag = (def: boolean, what: string) => z.boolean().nullish().transform((v) => v ?? def).describe(`${what} (default ${def})`);

/** The portfolio a tool call means, ownership checked. */
export const portfolioOf = (ctx: McpContext, id: string | null | undefined): Promise<string> => resolvePortfolioId(ctx.deps, ctx.principal, id);

export const usd = (x: number | null | undefined): string => (x == null ? 'n/a' : `${x < 0 ? '−' : ''}$${Math.abs(Math.round(x)).toLocaleString('en-US')}`);
export const pct = (x: number | null | undefined, digits = 1): string => (x == null ? 'n/a' : `${x.toFixed(digits)}%`);
export const unavailable = (reason: string | null | undefined) => `No stored results yet (${reason ?? 'no_results'}); run_portfolio_batch computes them.`;
