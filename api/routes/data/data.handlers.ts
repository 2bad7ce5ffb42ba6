import type { RouteHandler } from '@hono/zod-openapi';
import { getPortfolioComplete, listPortfolios } from '../../../core/services/portfolios.ts';
import { getPositionsDetails, getTopPositions } from '../../../core/services/positions.ts';
import { serviceDeps, type AppBindings } from '../../context.ts';
import type { completeRoute, listPortfoliosRoute, portfolioPositionsRoute, positionsDetailsRoute, topPositionsRoute } from './data.routes.ts';

export const listPortfoliosHandler: RouteHandler<typeof listPortfoliosRoute, AppBindings> = async (c) =>
  c.json(await listPortfolios(serviceDeps(c), c.get('principal')), 200);

export const completeHandler: RouteHandler<typeof completeRoute, AppBindings> = async (c) =>
  c.json(await getPortfolioComplete(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id, c.req.valid('query')), 200);

export const positionsDetailsHandler: RouteHandler<typeof positionsDetailsRoute, AppBindings> = async (c) =>
  c.json(await getPositionsDetails(serviceDeps(c), c.get('principal'), c.req.valid('query')), 200);

export const portfolioPositionsHandler: RouteHandler<typeof portfolioPositionsRoute, AppBindings> = async (c) => {
  const input = { portfolio_id: c.req.valid('param').portfolio_id, include_closed: c.req.valid('query').include_closed };
  return c.json(await getPositionsDetails(serviceDeps(c), c.get('principal'), input), 200);
};

export const topPositionsHandler: RouteHandler<typeof topPositionsRoute, AppBindings> = async (c) =>
  c.json(await getTopPositions(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id, c.req.valid('query')), 200);
