/**
 * Polygon.io. Daily bars from the aggregates endpoint
 * (`/v2/aggs/ticker/{T}/range/1/day/{from}/{to}?adjusted=true&sort=asc&limit=50000` →
 * `{status, resultsCount, results: [{o, h, l, c, v, t}], next_url?}`, `t` = bar start in ms),
 * following `next_url` pages on the same host. Tickers: `BRK-B` → `BRK.B`, indices `I:VIX`,
 * options `O:` + OCC. Quotes from the stocks snapshot endpoint. No Treasury series.
 * A page that is not valid JSON or not the documented shape fails the request; bars from earlier
 * pages travel on the error as `partial`.
 */
import { z } from 'zod';
import type { Logger } from '../../logger.ts';
import { createJsonClient } from '../http/json-client.ts';
import type { HttpProviderConfig } from '../http/provider-config.ts';
import { ProviderError, type BarsRequest, type DailyBar, type InstrumentKind, type MarketDataProvider, type ProviderQuote } from '../provider.ts';
import { cleanBars } from './clean-bars.ts';

const num = z.number().finite();
const Agg = z.object({ t: num, c: num, o: num.optional(), h: num.optional(), l: num.optional(), v: num.optional() });
const AggsPage = z.object({ status: z.string(), results: z.array(Agg).optional(), next_url: z.string().optional() });
const Snapshot = z.object({
  tickers: z.array(z.object({ ticker: z.string(), day: z.object({ o: num.optional(), h: num.optional(), l: num.optional(), c: num.optional(), v: num.optional() }).optional(), prevDay: z.object({ c: num.optional() }).optional(), lastTrade: z.object({ p: num }).optional(), updated: num.optional() })).optional(),
});

const NY_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });
const MAX_PAGES = 200;

/** Polygon's ticker for a SigmaSight symbol. */
export function polygonTicker(symbol: string, kind: InstrumentKind): string {
  if (kind === 'option') return symbol.startsWith('O:') ? symbol : `O:${symbol}`;
  if (kind === 'index') return symbol.startsWith('I:') ? symbol : `I:${symbol.replace(/^\^/, '')}`;
  return symbol.replace(/-/g, '.');
}

type Client = ReturnType<typeof createJsonClient>;
interface Ctx {
  client: Client;
  base: URL;
  withKey: (u: URL) => URL;
}

async function page(ctx: Ctx, u: URL, where: string, signal: AbortSignal | undefined, partial: DailyBar[]): Promise<z.infer<typeof AggsPage>> {
  try {
    const parsed = AggsPage.safeParse(await ctx.client.getJson(ctx.withKey(u), signal));
    if (!parsed.success) throw new ProviderError('polygon', 'malformed', 'unexpected response shape');
    if (parsed.data.status !== 'OK' && parsed.data.status !== 'DELAYED') throw new ProviderError('polygon', 'rejected', `status ${parsed.data.status}`);
    return parsed.data;
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    throw new ProviderError('polygon', err.kind, `${err.message} (${where})`, { ...err.opts, ...(partial.length ? { partial } : {}), cause: err });
  }
}

/** Daily aggregates over every next_url page on the same host. */
async function aggsBars(ctx: Ctx, req: BarsRequest): Promise<DailyBar[]> {
  const { symbol, kind, from, to, signal } = req;
  let next: URL | null = new URL(`/v2/aggs/ticker/${encodeURIComponent(polygonTicker(symbol, kind))}/range/1/day/${from}/${to}?adjusted=true&sort=asc&limit=50000`, ctx.base);
  const bars: DailyBar[] = [];
  for (let n = 1; next && n <= MAX_PAGES; n++) {
    const body = await page(ctx, next, `polygon ${symbol} page ${n}`, signal, cleanBars(bars, from, to));
    for (const r of body.results ?? []) bars.push({ date: NY_DATE.format(new Date(r.t)), close: r.c, open: r.o ?? null, high: r.h ?? null, low: r.l ?? null, volume: r.v ?? null });
    const candidate: URL | null = body.next_url ? new URL(body.next_url, ctx.base) : null;
    next = candidate && candidate.origin === ctx.base.origin ? candidate : null;
  }
  return cleanBars(bars, from, to);
}

/** Latest prices from the stocks snapshot endpoint (last trade, else the day's close). */
async function snapshotQuotes(ctx: Ctx, symbols: readonly string[], signal?: AbortSignal): Promise<ProviderQuote[]> {
  if (!symbols.length) return [];
  const u = new URL('/v2/snapshot/locale/us/markets/stocks/tickers', ctx.base);
  u.searchParams.set('tickers', symbols.map((s) => polygonTicker(s, 'equity')).join(','));
  const parsed = Snapshot.safeParse(await ctx.client.getJson(ctx.withKey(u), signal));
  if (!parsed.success) throw new ProviderError('polygon', 'malformed', 'polygon snapshot: unexpected response shape');
  const back = new Map(symbols.map((s) => [polygonTicker(s, 'equity'), s]));
  return (parsed.data.tickers ?? []).flatMap((t) => {
    const p = t.lastTrade?.p ?? t.day?.c;
    if (!p || !back.has(t.ticker)) return [];
    return [{ symbol: back.get(t.ticker)!, price: p, previousClose: t.prevDay?.c ?? null, open: t.day?.o ?? null, high: t.day?.h ?? null, low: t.day?.l ?? null, volume: t.day?.v ?? null, date: NY_DATE.format(t.updated ? new Date(t.updated / 1e6) : new Date()) }];
  });
}

/** Creates the Polygon provider. */
export function createPolygonProvider(cfg: HttpProviderConfig, opts: { fetch?: typeof fetch; log?: Logger; random?: () => number } = {}): MarketDataProvider {
  const ctx: Ctx = { client: createJsonClient('polygon', cfg, opts), base: new URL(cfg.baseUrl), withKey: (u) => (u.searchParams.set('apiKey', cfg.apiKey), u) };
  return {
    name: 'polygon',
    supports: (kind) => kind !== 'fund',
    dailyBars: (req) => aggsBars(ctx, req),
    quotes: (symbols, signal) => snapshotQuotes(ctx, symbols, signal),
  };
}
