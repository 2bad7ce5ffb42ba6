/**
 * Generates the demo book rebased onto the bundled prices so that it is live on the demo as-of
 * date (2026-07-13). Deterministic: the same reference data and prices give the same book, which
 * is committed as db/seed/demo-book.json and checked against this generator by a test.
 *
 * Rules (foundation issue, "Demo book"):
 * - users, portfolios (deterministic ids), tags, factor definitions, symbols, position types and
 *   quantities come from the reference demo data; `ZOOM` becomes `ZM`;
 * - entry dates move +18 months; option expiries move to the same kind of listed expiry day
 *   (third Friday; the VIX Wednesday) in the month 18 months after the reference expiry month;
 * - an equity's entry price is the bundled adjusted close on its entry date (nearest earlier
 *   trading day when the date is not one);
 * - an option's strike is the underlying close at entry × reference moneyness (reference strike /
 *   reference seed price of the underlying), rounded to the listed grid (1 below 50, 2.5 below
 *   100, 5 above); its OCC symbol is rebuilt; its entry price is the Black–Scholes value at entry
 *   with the underlying's 63-day realised volatility, the 13-week bill as the rate, no dividends;
 * - mutual funds without history get a declared proxy ETF and keep the reference entry NAV.
 */
import { createHash } from 'node:crypto';
import { bsmPrice } from '../../engines/options/black-scholes.ts';
import { buildOccSymbol } from '../../engines/options/occ.ts';
import type { Series } from '../market-data/bundled-files.ts';
import { realisedVolAnnual } from '../market-data/realised-vol.ts';
import { addMonths, daysBetween, indexOnOrBefore, thirdFriday, vixExpiry } from './calendar-dates.ts';
import type { DemoBook, DemoPosition, ReferenceDemoData, ReferencePosition } from './demo-book-types.ts';

export const DEMO_AS_OF = '2026-07-13';
export const REBASE_MONTHS = 18;
export const REALISED_VOL_DAYS = 63;
export const RATE_SERIES = '^IRX';
export const SYMBOL_RENAMES: Readonly<Record<string, string>> = { ZOOM: 'ZM' };
export const FUND_PROXIES: Readonly<Record<string, string>> = { FXNAX: 'AGG', FCNTX: 'VUG', FMAGX: 'IWF', VTIAX: 'VXUS' };
const STRATEGY_TAGS = new Set(['Long Momentum', 'Short Value Traps', 'Options Overlay']);

/** UUID whose 32 hex digits are the MD5 of the seed string (the reference recipe; not RFC 4122). */
export function md5Uuid(seed: string): string {
  const h = createHash('md5').update(seed, 'utf8').digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Rounds a strike to the listed grid: $1 below 50, $2.50 below 100, $5 from 100. */
export function roundToStrikeGrid(raw: number): number {
  const step = raw < 50 ? 1 : raw < 100 ? 2.5 : 5;
  return Math.round(raw / step) * step;
}

const round = (x: number, dp: number): number => Math.round(x * 10 ** dp) / 10 ** dp;

export interface PriceSource {
  prices: Map<string, Series>;
  rates: Map<string, Series>;
}

/** A row of data/market/symbols.csv: the bundled series and their role. */
export interface BundledSymbol {
  symbol: string;
  category: string;
}

const CATEGORY_TYPES: Readonly<Record<string, 'stock' | 'etf' | 'index'>> = {
  demo_holding_stock: 'stock',
  'demo_holding_stock(later_reference_only)': 'stock',
  index_level: 'index',
};

/** Security master: the reference classification for demo symbols, then every other bundled series. */
function buildSecurities(data: ReferenceDemoData, bundled: readonly BundledSymbol[]): DemoBook['securities'] {
  const out = new Map<string, DemoBook['securities'][number]>();
  for (const [refSymbol, s] of Object.entries(data.security_master.symbols)) {
    const symbol = SYMBOL_RENAMES[refSymbol] ?? refSymbol;
    out.set(symbol, {
      symbol, securityType: s.security_type, sector: s.sector, industry: s.industry, exchange: s.exchange, country: s.country,
      marketCapUsd: s.market_cap_usd || null, proxySymbol: FUND_PROXIES[symbol] ?? null,
    });
  }
  for (const b of bundled) {
    const symbol = b.symbol === '^VIX' ? 'VIX' : b.symbol;
    if (out.has(symbol) || b.category === 'yield_pct') continue;
    out.set(symbol, { symbol, securityType: CATEGORY_TYPES[b.category] ?? 'etf', sector: null, industry: null, exchange: null, country: 'US', marketCapUsd: null, proxySymbol: null });
  }
  return [...out.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
}

/** Factor definitions; a factor without an ETF proxy cannot be estimated and is seeded inactive. */
function buildFactors(data: ReferenceDemoData): DemoBook['factors'] {
  return data.factors.map((f) => ({
    id: md5Uuid(`${f.name}_factor`), name: f.name, engineKey: f.engine_key, description: f.description, factorType: f.factor_type,
    calculationMethod: f.calculation_method_label, etfProxy: f.etf_proxy, displayOrder: f.display_order, isActive: f.is_active && f.etf_proxy !== null,
  }));
}

function closeAsOf(series: Series | undefined, symbol: string, date: string): { close: number; date: string; index: number } {
  if (!series) throw new Error(`demo book: no bundled history for ${symbol}`);
  const i = indexOnOrBefore(series.dates, date);
  if (i < 0) throw new Error(`demo book: no bundled close for ${symbol} on or before ${date}`);
  return { close: series.closes[i]!, date: series.dates[i]!, index: i };
}

function shiftedExpiry(referenceExpiry: string, underlying: string): string {
  const [y, m] = addMonths(`${referenceExpiry.slice(0, 7)}-01`, REBASE_MONTHS).split('-').map(Number) as [number, number];
  return underlying === 'VIX' ? vixExpiry(y, m) : thirdFriday(y, m);
}

function rebaseOption(ref: ReferencePosition, entryDate: string, data: ReferenceDemoData, px: PriceSource): Omit<DemoPosition, 'id' | 'portfolioId' | 'tags'> {
  const opt = ref.option!;
  const underlying = SYMBOL_RENAMES[opt.underlying_symbol] ?? opt.underlying_symbol;
  const seedPrice = data.seed_reference_prices.prices[opt.underlying_symbol];
  if (!seedPrice) throw new Error(`demo book: no reference seed price for ${opt.underlying_symbol}`);
  const series = px.prices.get(underlying);
  const spot = closeAsOf(series, underlying, entryDate);
  const moneyness = opt.strike_price / seedPrice;
  const strike = roundToStrikeGrid(spot.close * moneyness);
  const expiry = shiftedExpiry(opt.expiration_date, opt.underlying_symbol);
  const right = opt.option_type === 'CALL' ? 'call' : 'put';
  const volAnnual = realisedVolAnnual(series!.closes, spot.index, REALISED_VOL_DAYS);
  const bill = closeAsOf(px.rates.get(RATE_SERIES), RATE_SERIES, entryDate);
  const rateCont = Math.log(1 + bill.close / 100);
  const tenorYears = daysBetween(entryDate, expiry) / 365;
  const value = bsmPrice({ spot: spot.close, strike, tenorYears, rateCont, volAnnual, right });
  return {
    symbol: buildOccSymbol({ root: underlying, expiry, right, strike }),
    positionType: ref.position_type,
    quantity: ref.quantity,
    entryPrice: round(value, 4),
    entryDate,
    multiplier: 100,
    underlyingSymbol: underlying,
    strikePrice: strike,
    expirationDate: expiry,
    proxySymbol: null,
    rebase: {
      referenceSymbol: ref.symbol,
      referenceEntryDate: ref.entry_date,
      referenceEntryPrice: ref.entry_price,
      priceDate: spot.date,
      underlyingPrice: spot.close,
      referenceStrike: opt.strike_price,
      referenceExpiry: opt.expiration_date,
      moneyness,
      volAnnual,
      rateCont,
      tenorYears,
    },
  };
}

function rebaseEquity(ref: ReferencePosition, entryDate: string, px: PriceSource): Omit<DemoPosition, 'id' | 'portfolioId' | 'tags'> {
  const symbol = SYMBOL_RENAMES[ref.symbol] ?? ref.symbol;
  const proxy = FUND_PROXIES[symbol] ?? null;
  const base = { referenceSymbol: ref.symbol, referenceEntryDate: ref.entry_date, referenceEntryPrice: ref.entry_price };
  if (proxy) {
    const anchor = closeAsOf(px.prices.get(proxy), proxy, entryDate);
    return {
      symbol, positionType: ref.position_type, quantity: ref.quantity, entryPrice: ref.entry_price, entryDate, multiplier: 1,
      underlyingSymbol: null, strikePrice: null, expirationDate: null, proxySymbol: proxy,
      rebase: { ...base, priceDate: anchor.date, proxyAnchorClose: anchor.close },
    };
  }
  const close = closeAsOf(px.prices.get(symbol), symbol, entryDate);
  return {
    symbol, positionType: ref.position_type, quantity: ref.quantity, entryPrice: close.close, entryDate, multiplier: 1,
    underlyingSymbol: null, strikePrice: null, expirationDate: null, proxySymbol: null,
    rebase: { ...base, priceDate: close.date },
  };
}

/** Builds the whole rebased demo book from the reference demo data and the bundled prices. */
export function generateDemoBook(data: ReferenceDemoData, px: PriceSource, bundled: readonly BundledSymbol[]): DemoBook {
  const users = data.users.map((u) => ({ id: md5Uuid(`${u.email}_user`), email: u.email, username: u.username, fullName: u.full_name, role: 'user' as const }));
  const userId = (email: string): string => users.find((u) => u.email === email)!.id;
  const portfolios = data.portfolios.map((p) => ({
    id: md5Uuid(`${p.owner_email}_portfolio`), userId: userId(p.owner_email), ownerEmail: p.owner_email, name: p.name,
    description: p.description, currency: p.currency, openingEquity: p.nominal_total_value_usd,
  }));
  const tags = data.tags.map((t) => {
    const uid = userId(t.owner_email);
    return { id: md5Uuid(`${uid}_${t.name}_tag`), userId: uid, name: t.name, tagType: STRATEGY_TAGS.has(t.name) ? ('STRATEGY' as const) : ('REGULAR' as const) };
  });
  const positions: DemoPosition[] = [];
  for (const [pi, p] of data.portfolios.entries()) {
    const portfolioId = portfolios[pi]!.id;
    for (const ref of p.positions) {
      const entryDate = addMonths(ref.entry_date, REBASE_MONTHS);
      const body = ref.option ? rebaseOption(ref, entryDate, data, px) : rebaseEquity(ref, entryDate, px);
      positions.push({ id: md5Uuid(`${portfolioId}_${body.symbol}_${entryDate}`), portfolioId, ...body, tags: ref.tags });
    }
  }
  return {
    description: 'SigmaSight demo book rebased onto the bundled prices (generated by `npm run demo-book`; do not edit by hand).',
    asOf: DEMO_AS_OF,
    rules: { rebaseMonths: REBASE_MONTHS, realisedVolDays: REALISED_VOL_DAYS, rateSeries: RATE_SERIES, renames: SYMBOL_RENAMES, fundProxies: FUND_PROXIES },
    users,
    portfolios,
    tags,
    securities: buildSecurities(data, bundled),
    factors: buildFactors(data),
    positions,
  };
}
