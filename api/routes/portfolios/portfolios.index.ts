import { createRouter } from '../../router.ts';
import * as H from './portfolios.handlers.ts';
import * as R from './portfolios.routes.ts';

export const portfoliosRouter = createRouter()
  .openapi(R.createPortfolioRoute, H.createPortfolioHandler)
  .openapi(R.listPortfoliosRoute, H.listPortfoliosHandler)
  .openapi(R.getPortfolioRoute, H.getPortfolioHandler)
  .openapi(R.updatePortfolioRoute, H.updatePortfolioHandler)
  .openapi(R.deletePortfolioRoute, H.deletePortfolioHandler)
  .openapi(R.listPositionsRoute, H.listPositionsHandler)
  .openapi(R.addPositionRoute, H.addPositionHandler)
  .openapi(R.updatePositionRoute, H.updatePositionHandler)
  .openapi(R.deletePositionRoute, H.deletePositionHandler)
  .openapi(R.closePositionRoute, H.closePositionHandler)
  .openapi(R.previewImportRoute, H.previewImportHandler)
  .openapi(R.getImportRoute, H.getImportHandler)
  .openapi(R.commitImportRoute, H.commitImportHandler)
  .openapi(R.auditRoute, H.auditHandler);
