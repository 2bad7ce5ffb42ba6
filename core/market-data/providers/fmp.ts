/**
 * Financial Modeling Prep. Daily bars from the stable dividend-adjusted EOD endpoint
 * (`/stable/historical-price-eod/dividend-adjusted?symbol=&from=&to=` → `[{symbol, date, adjOpen,
 * adjHigh, adjLow, adjClose, volume}]`); the legacy `historical-price-full` shape
 * (`{symbol, historical: [{date, open, high, low, close, adjClose, volume}]}`, `{}` when unknown)
 * is parsed too. Quotes from `/stable/batch-quote`, Treasury yields from `/stable/treasury-rates`
 * (month3 → ^IRX, year10 → ^TNX, percent). Indices are requested as `^SYMBOL`; options are not served.
 */
import { z } from 'zod';
import type { Logger } from '../../logger.ts';
import { createJsonClient } from '../http/json-client.ts';
import type { HttpProviderConfig } from '../http/provider-config.ts';
import { ProviderError, type DailyBar, type MarketDataProvider, type ProviderQuote, type ProviderRate } from '../provider.ts';
import { cleanBars } from './clean-bars.ts';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}/).transform((d) => d.slice(0, 10));
const price = z.number().finite();
const opt = price.nullable().optional();

const AdjustedRow = z.object({ date, adjClose: price, adjOpen: opt, adjHigh: opt, adjLow: opt, volume: opt });
const FullRow = z.object({ date, close: price, adjClose: opt, open: opt, high: opt, low: opt, volume: opt });
const Legacy = z.object({ symbol: z.string().optional(), historical: z.array(FullRow) });
const QuoteRow = z.object({ symbol: z.string(), price, previousClose: opt, open: opt, dayHigh: opt, dayLow: opt, volume: opt, timestamp: z.number().optional() });
const RateRow = z.object({ date, month3: opt, year10: opt });

function parseBars(body: unknown, where: string): DailyBar[] {
  if (body && typeof body === 'object' && 'Error Message' in body) throw new ProviderError('fmp', 'rejected', `${where}: ${String((body as Record<string, unknown>)['Error Message']).slice(0, 120)}`);
  if (Array.isArray(body)) {
    if (body.length && body[0] && typeof body[0] === 'object' && 'adjClose' in body[0]) {
      const rows = z.array(AdjustedRow).safeParse(body);
      if (rows.success) return rows.data.map((r) => ({ date: r.date, close: r.adjClose, open: r.adjOpen ?? null, high: r.adjHigh ?? null, low: r.adjLow ?? null, volume: r.volume ?? null }));
    } else {
      const rows = z.array(FullRow).safeParse(body);
      if (rows.success) return rows.data.map((r) => ({ date: r.date, close: r.adjClose ?? r.close, open: r.open ?? null, high: r.high ?? null, low: r.low ?? null, volume: r.volume ?? null }));
    }
  } else if (body && typeof body === 'object') {
    if (Object.keys(body).length === 0) return [];
    const legacy = Legacy.safeParse(body);
    if (legacy.success) return legacy.data.historical.map((r) => ({ date: r.date, close: r.adjClose ?? r.close, open: r.open ?? null, high: r.high ?? null, low: r.low ?? null, volume: r.volume ?? null }));
  }
  throw new ProviderError('fmp', 'malformed', `${where}: unexpected response shape`);
}

const NY_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Creates the FMP provider. */
export function createFmpProvider(cfg: HttpProviderConfig, opts: { fetch?: typeof fetch; log?: Logger; random?: () => number } = {}): MarketDataProvider {
  const client = createJsonClient('fmp', cfg, opts);
  const url = (path: string, params: Record<string, string>) => {
    const u = new URL(path, cfg.baseUrl);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    u.searchParams.set('apikey', cfg.apiKey);
    return u;
  };
  return {
    name: 'fmp',
    supports: (kind) => kind !== 'option',
    async dailyBars({ symbol, kind, from, to, signal }) {
      const ticker = kind === 'index' && !symbol.startsWith('^') ? `^${symbol}` : symbol;
      const body = await client.getJson(url('/stable/historical-price-eod/dividend-adjusted', { symbol: ticker, from, to }), signal);
      return cleanBars(parseBars(body, `fmp ${symbol}`), from, to);
    },
    async quotes(symbols, signal): Promise<ProviderQuote[]> {
      if (!symbols.length) return [];
      const body = await client.getJson(url('/stable/batch-quote', { symbols: symbols.join(',') }), signal);
      const rows = z.array(QuoteRow).safeParse(body);
      if (!rows.success) throw new ProviderError('fmp', 'malformed', 'fmp batch-quote: unexpected response shape');
      return rows.data.map((r) => ({
        symbol: r.symbol, price: r.price, previousClose: r.previousClose ?? null, open: r.open ?? null, high: r.dayHigh ?? null, low: r.dayLow ?? null, volume: r.volume ?? null,
        date: NY_DATE.format(r.timestamp ? new Date(r.timestamp * 1000) : new Date()),
      }));
    },
    async treasuryRates(from, to, signal): Promise<ProviderRate[]> {
      const body = await client.getJson(url('/stable/treasury-rates', { from, to }), signal);
      const rows = z.array(RateRow).safeParse(body);
      if (!rows.success) throw new ProviderError('fmp', 'malformed', 'fmp treasury-rates: unexpected response shape');
      return rows.data.flatMap((r) => [
        ...(r.month3 != null ? [{ series: '^IRX', date: r.date, yieldPct: r.month3 }] : []),
        ...(r.year10 != null ? [{ series: '^TNX', date: r.date, yieldPct: r.year10 }] : []),
      ]).filter((r) => r.date >= from && r.date <= to);
    },
  };
}
