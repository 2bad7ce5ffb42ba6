import type { RouteHandler } from '@hono/zod-openapi';
import { getPortfolioDataQuality } from '../../../core/services/data-quality.ts';
import { getCurrentQuotes, getFactorEtfPrices, getHistoricalPrices } from '../../../core/services/market-data.ts';
import { serviceDeps, type AppBindings } from '../../context.ts';
import type { dataQualityRoute, etfPricesRoute, historicalRoute, quotesRoute } from './market.routes.ts';

export const dataQualityHandler: RouteHandler<typeof dataQualityRoute, AppBindings> = async (c) => {
  const q = c.req.valid('query');
  const input = { portfolio_id: c.req.valid('param').portfolio_id, check_factors: q.check_factors, as_of_date: q.as_of_date ?? null };
  return c.json(await getPortfolioDataQuality(serviceDeps(c), c.get('principal'), input), 200);
};

export const historicalHandler: RouteHandler<typeof historicalRoute, AppBindings> = async (c) => {
  const q = c.req.valid('query');
  const input = { portfolio_id: c.req.valid('param').portfolio_id, lookback_days: q.lookback_days, include_factor_etfs: q.include_factor_etfs, date_format: q.date_format, symbols: q.symbols ?? null, max_symbols: q.max_symbols ?? null, as_of_date: q.as_of_date ?? null };
  return c.json(await getHistoricalPrices(serviceDeps(c), c.get('principal'), input), 200);
};

export const quotesHandler: RouteHandler<typeof quotesRoute, AppBindings> = async (c) => {
  const q = c.req.valid('query');
  return c.json(await getCurrentQuotes(serviceDeps(c), c.get('principal'), { symbols: q.symbols, max_symbols: q.max_symbols }), 200);
};

export const etfPricesHandler: RouteHandler<typeof etfPricesRoute, AppBindings> = async (c) => {
  const q = c.req.valid('query');
  return c.json(await getFactorEtfPrices(serviceDeps(c), c.get('principal'), { factors: q.factors ?? null, lookback_days: q.lookback_days ?? null }), 200);
};
