/** Analytics tools over the stored batch results: overview, factor exposures, correlations, diversification. */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from '@hono/zod-openapi';
import {
  CorrelationMatrixSchema, CorrelationQuerySchema, DiversificationQuerySchema, DiversificationSchema, FactorExposuresSchema, OverviewSchema, PositionFactorExposuresSchema,
} from '../../core/contracts/analytics.ts';
import { getCorrelationMatrix, getDiversificationScore } from '../../core/services/analytics-correlation.ts';
import { getFactorExposures, getPositionFactorExposures } from '../../core/services/analytics-factors.ts';
import { getOverview } from '../../core/services/analytics-overview.ts';
import type { McpContext } from '../context.ts';
import { defineTool, READ_ONLY } from './define.ts';
import { flag, pct, portfolioIdInput, portfolioOf, unavailable, usd } from './inputs.ts';
import { appViewMeta } from '../app-views.ts';

const FactorInput = z.object({
  portfolio_id: portfolioIdInput,
  include_positions: flag(false, 'add per-position betas (one page)'),
  limit: z.number().int().min(1).max(200).nullish().transform((v) => v ?? 50).describe('positions per page when include_positions (1–200, default 50)'),
  offset: z.number().int().min(0).max(100_000).nullish().transform((v) => v ?? 0).describe('positions to skip (default 0)'),
});

const FactorOutput = FactorExposuresSchema.extend({ positions: PositionFactorExposuresSchema.nullable().describe('per-position betas when include_positions was true') });

export function registerAnalyticsTools(server: McpServer, ctx: McpContext): void {
  defineTool(server, ctx, {
    name: 'get_analytics_overview', title: 'Portfolio overview', annotations: READ_ONLY, meta: appViewMeta('overview'),
    description: 'Exposures (long, short, gross, net, in USD and % of NAV), P&L and position counts from the latest stored batch results, with as_of and data-quality flags.',
    input: z.object({ portfolio_id: portfolioIdInput }), output: OverviewSchema,
    run: async (i, c) => getOverview(c.deps, c.principal, await portfolioOf(c, i.portfolio_id)),
    summary: (o) =>
      !o.available
        ? unavailable(o.reason)
        : `As of ${o.as_of}: NAV ${usd(o.total_value)}, gross ${usd(o.exposures.gross_exposure)} (${pct(o.exposures.gross_percentage)}), net ${usd(o.exposures.net_exposure)} (${pct(o.exposures.net_percentage)}), P&L ${usd(o.pnl.total_pnl)}, ${o.position_count.total_positions} positions.`,
  });

  defineTool(server, ctx, {
    name: 'get_factor_exposures', title: 'Factor exposures', annotations: READ_ONLY,
    description: 'Portfolio factor betas and dollar exposures (Market Beta, Value, Growth, Momentum, Quality, Size, Low Volatility, rates) from the latest batch; optionally a page of per-position betas.',
    input: FactorInput, output: FactorOutput,
    run: async (i, c) => {
      const id = await portfolioOf(c, i.portfolio_id);
      const base = await getFactorExposures(c.deps, c.principal, id);
      const positions = i.include_positions ? await getPositionFactorExposures(c.deps, c.principal, id, { limit: i.limit, offset: i.offset }) : null;
      return { ...base, positions };
    },
    summary: (o) => (!o.available ? unavailable(o.metadata.reason) : `As of ${o.as_of}: ${o.factors.map((f) => `${f.name} β ${f.beta == null ? 'n/a' : f.beta.toFixed(2)} (${usd(f.exposure_dollar)})`).join(', ')}.`),
  });

  defineTool(server, ctx, {
    name: 'get_correlation_matrix', title: 'Correlation matrix', annotations: READ_ONLY,
    description: 'Stored pairwise correlations of daily returns among the largest positions; pairs with too little overlap are null.',
    input: z.object({ portfolio_id: portfolioIdInput, ...CorrelationQuerySchema.shape }), output: CorrelationMatrixSchema,
    hints: { VALIDATION: 'min_overlap must not exceed lookback_days; lookback 30–365, min_overlap 10–365, max_symbols 2–50' },
    run: async (i, c) => getCorrelationMatrix(c.deps, c.principal, await portfolioOf(c, i.portfolio_id), { lookback_days: i.lookback_days, min_overlap: i.min_overlap, max_symbols: i.max_symbols }),
    summary: (o) => (!o.available || !o.data ? unavailable(o.metadata.reason) : `${o.metadata.symbols_included} symbols as of ${o.metadata.calculation_date}, average correlation ${o.data.average_correlation?.toFixed(2) ?? 'n/a'}.`),
  });

  defineTool(server, ctx, {
    name: 'get_diversification_score', title: 'Diversification score', annotations: READ_ONLY,
    description: 'Gross-value-weighted average absolute correlation (0 = uncorrelated, 1 = perfectly correlated) and the effective number of independent positions.',
    input: z.object({ portfolio_id: portfolioIdInput, ...DiversificationQuerySchema.shape }), output: DiversificationSchema,
    run: async (i, c) => getDiversificationScore(c.deps, c.principal, await portfolioOf(c, i.portfolio_id), { lookback_days: i.lookback_days, min_overlap: i.min_overlap }),
    summary: (o) => (!o.available ? unavailable(o.metadata.reason) : `Weighted |ρ| ${o.portfolio_correlation?.toFixed(2) ?? 'n/a'}, effective positions ${o.effective_positions?.toFixed(1) ?? 'n/a'} of ${o.symbols_included}, as of ${o.calculation_date}.`),
  });
}
