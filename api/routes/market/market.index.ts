import { createRouter } from '../../router.ts';
import { dataQualityHandler, etfPricesHandler, historicalHandler, quotesHandler } from './market.handlers.ts';
import { dataQualityRoute, etfPricesRoute, historicalRoute, quotesRoute } from './market.routes.ts';

export const marketRouter = createRouter()
  .openapi(dataQualityRoute, dataQualityHandler)
  .openapi(historicalRoute, historicalHandler)
  .openapi(quotesRoute, quotesHandler)
  .openapi(etfPricesRoute, etfPricesHandler);
