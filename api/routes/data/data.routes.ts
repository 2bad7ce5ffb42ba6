import { createRoute, z } from '@hono/zod-openapi';
import { PortfolioIdParams, QueryBool } from '../../../core/contracts/common.ts';
import {
  CompleteQuerySchema,
  PortfolioCompleteSchema,
  PortfolioListSchema,
  PositionsDetailsQuerySchema,
  PositionsDetailsSchema,
  TopPositionsQuerySchema,
  TopPositionsSchema,
} from '../../../core/contracts/portfolio.ts';
import { ok, problems, SECURED } from '../responses.ts';

const tags = ['Data'];
const base = { tags, security: SECURED };

export const listPortfoliosRoute = createRoute({
  ...base,
  method: 'get',
  path: '/api/v1/data/portfolios',
  summary: "The caller's portfolios with live equity",
  responses: { ...ok(PortfolioListSchema, 'Bare array of portfolios'), ...problems(401, 429) },
});

export const completeRoute = createRoute({
  ...base,
  method: 'get',
  path: '/api/v1/data/portfolio/{portfolio_id}/complete',
  summary: 'Portfolio with holdings, cash, equity history and attribution',
  request: { params: PortfolioIdParams, query: CompleteQuerySchema },
  responses: { ...ok(PortfolioCompleteSchema, 'Complete portfolio view'), ...problems(401, 404, 422, 429) },
});

export const positionsDetailsRoute = createRoute({
  ...base,
  method: 'get',
  path: '/api/v1/data/positions/details',
  summary: 'Positions with prices and P&L, by portfolio or by position ids',
  request: { query: PositionsDetailsQuerySchema },
  responses: { ...ok(PositionsDetailsSchema, 'Positions (at most 200 rows; meta.truncated)'), ...problems(401, 404, 422, 429) },
});

export const portfolioPositionsRoute = createRoute({
  ...base,
  method: 'get',
  path: '/api/v1/data/portfolios/{portfolio_id}/positions',
  summary: 'Positions of a portfolio (seed-guide path)',
  request: { params: PortfolioIdParams, query: z.object({ include_closed: QueryBool(false).describe('include positions with an exit date') }) },
  responses: { ...ok(PositionsDetailsSchema, 'Positions (at most 200 rows; meta.truncated)'), ...problems(401, 404, 422, 429) },
});

export const topPositionsRoute = createRoute({
  ...base,
  method: 'get',
  path: '/api/v1/data/positions/top/{portfolio_id}',
  summary: 'Largest positions by gross value',
  request: { params: PortfolioIdParams, query: TopPositionsQuerySchema },
  responses: { ...ok(TopPositionsSchema, 'Top positions'), ...problems(401, 404, 422, 429) },
});
