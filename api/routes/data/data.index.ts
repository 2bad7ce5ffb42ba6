import { createRouter } from '../../router.ts';
import { completeHandler, listPortfoliosHandler, portfolioPositionsHandler, positionsDetailsHandler, topPositionsHandler } from './data.handlers.ts';
import { completeRoute, listPortfoliosRoute, portfolioPositionsRoute, positionsDetailsRoute, topPositionsRoute } from './data.routes.ts';

export const dataRouter = createRouter()
  .openapi(listPortfoliosRoute, listPortfoliosHandler)
  .openapi(completeRoute, completeHandler)
  .openapi(positionsDetailsRoute, positionsDetailsHandler)
  .openapi(portfolioPositionsRoute, portfolioPositionsHandler)
  .openapi(topPositionsRoute, topPositionsHandler);
