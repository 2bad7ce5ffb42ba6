/**
 * Contracts of the on-the-fly calculations: a custom stress test (user-defined factor shocks)
 * and a simulated trade (positions added, removed or resized). Nothing is stored.
 */
import { z } from '@hono/zod-openapi';
import { text } from './common.ts';

export const SHOCK_FACTORS = ['Market', 'Value', 'Growth', 'Momentum', 'Quality', 'Size', 'Low Volatility', 'Interest_Rate'] as const;

export const ShockSchema = z
  .object({
    factor: z.enum(SHOCK_FACTORS).describe('factor to shock (the stress catalogue keys)'),
    shock: z.number().min(-1).max(1).describe('equity factors: fractional return (−0.10 = −10 %); Interest_Rate: absolute yield change as a decimal (0.01 = +100 bp)'),
  })
  .openapi('FactorShock');

const nn = (d: string) => z.number().nullable().describe(d);

export const CustomStressOutputSchema = z
  .object({
    portfolio_id: text(),
    as_of: text().describe('date of the book and market window (the latest results date)'),
    name: text().describe('label of the scenario'),
    shocks: z.array(ShockSchema),
    total_pnl: nn('P&L of the shocks over the positions\' dollar factor exposures, USD (same method as the stored catalogue results)'),
    direct_pnl: nn('P&L of the directly shocked factors, USD'),
    pct_nav: nn('total P&L / NAV, percent points'),
    nav: nn('portfolio value the percentage refers to, USD'),
    exceeds_portfolio_value: z.boolean().describe('true when the loss is larger than the portfolio value (no loss floor is applied)'),
    factor_impacts: z.array(z.object({ factor: text(), shock: z.number(), exposure_usd: z.number(), pnl_usd: z.number() })).describe('P&L per shocked factor'),
    top_contributors: z.array(z.object({ position_id: text(), symbol: text(), pnl_usd: z.number() })).describe('the 10 positions with the largest absolute P&L'),
    matches_catalogue: text().nullable().describe('id of the catalogue scenario with exactly these shocks, if any'),
  })
  .openapi('CustomStressResult');
export type CustomStressOutput = z.infer<typeof CustomStressOutputSchema>;

export const TradeSchema = z
  .object({
    action: z.enum(['add', 'remove', 'resize']).describe('add: buy (quantity > 0) or short (quantity < 0) more of a symbol; remove: close a position; resize: set a position to a new signed quantity'),
    symbol: text().max(15).nullish().describe('ticker (stocks, ETFs, funds) for add; or to name a held position'),
    position_id: text().max(40).nullish().describe('a held position (from get_positions_details); required for options'),
    quantity: z.number().min(-1e9).max(1e9).nullish().describe('add: signed shares to add; resize: the new signed quantity; ignored for remove'),
  })
  .openapi('Trade');
export type Trade = z.infer<typeof TradeSchema>;

const FiguresSchema = z
  .object({
    nav: nn('USD'), cash: nn('USD'), long_exposure: nn('USD'), short_exposure: nn('USD'), gross_exposure: nn('USD'), net_exposure: nn('USD'),
    delta_adjusted_net: nn('USD'), position_count: z.number().int(),
    greeks: z.object({ dollar_delta: z.number(), dollar_gamma_1pct: z.number(), theta_dollars_per_day: z.number(), vega_dollars_per_vol_pt: z.number(), rho_dollars_per_pct: z.number() }).describe('summed option Greeks in dollars'),
    factor_betas: z.array(z.object({ factor: text(), beta: nn('portfolio beta (factor dollars / NAV)'), exposure_dollar: nn('USD') })),
    var: z.object({ var_95_1d: nn('USD'), var_99_1d: nn('USD'), cvar_95_1d: nn('USD'), cvar_99_1d: nn('USD'), observations: z.number().int() }).describe('historical 1-day VaR/CVaR of the delta-adjusted exposures'),
    stress: z.array(z.object({ scenario_id: text(), name: text(), pnl: nn('USD'), pct_nav: nn('percent points') })).describe('catalogue stress P&L'),
  })
  .openapi('BookFigures');

export const SimulateTradeOutputSchema = z
  .object({
    portfolio_id: text(),
    as_of: text().describe('date of the book, prices and market window'),
    trades_applied: z.array(z.object({ symbol: text(), position_id: text().nullable(), quantity_before: z.number(), quantity_after: z.number(), price: z.number(), cash_change: z.number() })).describe('net change per position after all trades (filled at the as-of close, paid from cash)'),
    before: FiguresSchema,
    after: FiguresSchema,
    change: z.object({ nav: nn('USD'), gross_exposure: nn('USD'), net_exposure: nn('USD'), var_99_1d: nn('USD'), market_beta: nn('change of the Market beta'), worst_stress_pnl: nn('USD') }),
  })
  .openapi('SimulatedTrade');
export type SimulateTradeOutput = z.infer<typeof SimulateTradeOutputSchema>;
