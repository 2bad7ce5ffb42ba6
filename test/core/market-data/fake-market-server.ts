/**
 * A local stand-in for the FMP and Polygon HTTP APIs (127.0.0.1, ephemeral port) serving their
 * documented JSON shapes — FMP stable `historical-price-eod/dividend-adjusted` (array of
 * {symbol, date, adjOpen, adjHigh, adjLow, adjClose, volume}, newest first) and `treasury-rates`;
 * Polygon `/v2/aggs/ticker/{T}/range/1/day/{from}/{to}` ({ticker, status, queryCount,
 * resultsCount, adjusted, results: [{v, vw, o, c, h, l, t, n}], request_id, next_url}) — with
 * scripted faults per symbol (and per Polygon page): 429 with Retry-After, 500, a hang past the
 * client's timeout, malformed JSON, a wrong shape, empty results, 401.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tradingDays } from '../../../core/market-data/calendar.ts';

export type Fault = { status: 429; retryAfter?: string } | { status: 500 | 401 | 503 } | 'hang' | 'malformed' | 'badshape' | 'empty';

export interface FakeRequest {
  api: 'fmp' | 'polygon';
  symbol: string;
  page: number;
  at: number;
  outcome: string;
}

const DAYS = tradingDays('2024-01-02', '2026-12-31');

/** The close the fake serves for a symbol and date: deterministic, with 7 decimals (the store keeps 6). */
export function fakeClose(symbol: string, date: string): number {
  const seed = [...symbol].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 997, 7);
  return Number((50 + seed / 10 + DAYS.indexOf(date) * 0.0123457).toFixed(7));
}

/** Exactly the bars the fake serves for from..to, date → close rounded to the 6 stored decimals. */
export function servedCloses(symbol: string, from: string, to: string): Map<string, number> {
  return new Map(DAYS.filter((d) => d >= from && d <= to).map((d) => [d, Math.round(fakeClose(symbol, d) * 1e6) / 1e6]));
}

const NY_HOUR = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', hourCycle: 'h23' });
/** Polygon's `t` for a daily bar: 00:00 America/New_York of the date, in epoch milliseconds. */
function nyMidnightMs(date: string): number {
  const edt = Date.parse(`${date}T04:00:00Z`);
  return NY_HOUR.format(edt) === '00' ? edt : Date.parse(`${date}T05:00:00Z`);
}

export class FakeMarketServer {
  readonly requests: FakeRequest[] = [];
  /** Faults served in order per key (`AAPL` on both APIs, `fmp:AAPL` on FMP only, `MSFT#2` for Polygon page 2); then normal answers. */
  readonly faults = new Map<string, Fault[]>();
  /** Faults served on every request for the key. */
  readonly always = new Map<string, Fault>();
  pageSize = 50;
  private server: Server = createServer((req, res) => this.handle(req, res));
  baseUrl = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  count(api: 'fmp' | 'polygon', symbol?: string): number {
    return this.requests.filter((r) => r.api === api && (symbol === undefined || r.symbol === symbol)).length;
  }

  private fault(key: string): Fault | undefined {
    return this.always.get(key) ?? this.faults.get(key)?.shift();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url!, this.baseUrl);
    const aggs = url.pathname.match(/^\/v2\/aggs\/ticker\/([^/]+)\/range\/1\/day\/([^/]+)\/([^/]+)$/);
    if (url.pathname === '/stable/historical-price-eod/dividend-adjusted') return this.fmp(url, res);
    if (url.pathname === '/stable/treasury-rates') return this.json(res, 200, DAYS.filter((d) => d >= url.searchParams.get('from')! && d <= url.searchParams.get('to')!).reverse().map((date) => ({ date, month1: 4.1, month3: 4.25, year2: 3.9, year10: 4.4, year30: 4.7 })));
    if (aggs) return this.polygon(url, decodeURIComponent(aggs[1]!), aggs[2]!, aggs[3]!, res);
    if (url.pathname === '/stable/batch-quote') return this.quotes('fmp', url.searchParams.get('symbols')!.split(','), res);
    if (url.pathname === '/v2/snapshot/locale/us/markets/stocks/tickers') return this.quotes('polygon', url.searchParams.get('tickers')!.split(','), res);
    this.json(res, 404, { message: 'not found' });
  }

  private serveFault(f: Fault, res: ServerResponse, api: 'fmp' | 'polygon'): boolean {
    if (f === 'hang') return true; // never answers; the client's timeout fires
    if (f === 'malformed') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"results": [{"c": 1.0, "t": 17'), true;
    if (f === 'badshape') return this.json(res, 200, api === 'fmp' ? [{ day: 'yesterday', price: 'high' }] : { status: 'OK', results: [{ close: 'n/a' }] }), true;
    if (f === 'empty') return false;
    const headers: Record<string, string> = 'retryAfter' in f && f.retryAfter ? { 'retry-after': f.retryAfter } : {};
    res.writeHead(f.status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(api === 'fmp' ? { 'Error Message': `HTTP ${f.status}` } : { status: 'ERROR', error: `HTTP ${f.status}` }));
    return true;
  }

  private fmp(url: URL, res: ServerResponse): void {
    const symbol = url.searchParams.get('symbol')!;
    const f = this.fault(`fmp:${symbol}`) ?? this.fault(symbol);
    this.requests.push({ api: 'fmp', symbol, page: 1, at: Date.now(), outcome: typeof f === 'object' ? String(f.status) : (f ?? 'ok') });
    if (!url.searchParams.get('apikey')) return this.json(res, 401, { 'Error Message': 'Invalid API KEY.' });
    if (f && this.serveFault(f, res, 'fmp')) return;
    if (f === 'empty') return this.json(res, 200, []);
    const rows = [...servedCloses(symbol, url.searchParams.get('from')!, url.searchParams.get('to')!).keys()].reverse().map((date) => {
      const c = fakeClose(symbol, date);
      return { symbol, date, adjOpen: c - 0.5, adjHigh: c + 1, adjLow: c - 1, adjClose: c, volume: 1_000_000 };
    });
    this.json(res, 200, rows);
  }

  private polygon(url: URL, ticker: string, from: string, to: string, res: ServerResponse): void {
    const offset = Number(Buffer.from(url.searchParams.get('cursor') ?? 'MA==', 'base64').toString());
    const page = Math.floor(offset / this.pageSize) + 1;
    const f = this.fault(`${ticker}#${page}`) ?? (page === 1 ? this.fault(ticker) : undefined);
    this.requests.push({ api: 'polygon', symbol: ticker, page, at: Date.now(), outcome: typeof f === 'object' ? String(f.status) : (f ?? 'ok') });
    if (!url.searchParams.get('apiKey')) return this.json(res, 401, { status: 'NOT_AUTHORIZED' });
    if (f && this.serveFault(f, res, 'polygon')) return;
    if (f === 'empty') return this.json(res, 200, { ticker, queryCount: 0, resultsCount: 0, adjusted: true, status: 'OK', request_id: 'x' });
    const dates = [...servedCloses(ticker, from, to).keys()];
    const slice = dates.slice(offset, offset + this.pageSize);
    const results = slice.map((d) => ({ v: 1e6, vw: fakeClose(ticker, d), o: fakeClose(ticker, d) - 0.5, c: fakeClose(ticker, d), h: fakeClose(ticker, d) + 1, l: fakeClose(ticker, d) - 1, t: nyMidnightMs(d), n: 1000 }));
    const more = offset + this.pageSize < dates.length;
    const next = more ? `${this.baseUrl}/v2/aggs/ticker/${encodeURIComponent(ticker)}/range/1/day/${from}/${to}?cursor=${Buffer.from(String(offset + this.pageSize)).toString('base64')}` : undefined;
    this.json(res, 200, { ticker, queryCount: results.length, resultsCount: results.length, adjusted: true, results, status: 'OK', request_id: `req-${page}`, count: results.length, ...(next ? { next_url: next } : {}) });
  }

  /** Symbols the quote endpoints know; others are left out of the answer, as the real APIs do. */
  readonly quoted = new Set(['AAPL', 'MSFT', 'SPY', 'BRK-B', 'BRK.B']);

  private quotes(api: 'fmp' | 'polygon', symbols: string[], res: ServerResponse): void {
    const f = this.fault(`${api}:quotes`);
    this.requests.push({ api, symbol: symbols.join(','), page: 1, at: Date.now(), outcome: typeof f === 'object' ? String(f.status) : (f ?? 'ok') });
    if (f && this.serveFault(f, res, api)) return;
    const known = symbols.filter((s) => this.quoted.has(s));
    const price = (s: string) => fakeClose(s, '2026-07-14');
    const prev = (s: string) => fakeClose(s, '2026-07-13');
    const updatedMs = Date.parse('2026-07-14T19:30:00Z');
    if (api === 'fmp') {
      return this.json(res, 200, known.map((s) => ({
        symbol: s, name: s, price: price(s), changePercentage: 0, change: price(s) - prev(s), volume: 123_456, dayLow: price(s) - 2, dayHigh: price(s) + 2,
        yearHigh: 999, yearLow: 1, marketCap: 1e12, priceAvg50: 1, priceAvg200: 1, exchange: 'NASDAQ', open: price(s) - 1, previousClose: prev(s), timestamp: updatedMs / 1000,
      })));
    }
    this.json(res, 200, {
      status: 'OK', count: known.length,
      tickers: known.map((s) => ({
        ticker: s, todaysChange: price(s) - prev(s), todaysChangePerc: 0, updated: updatedMs * 1e6,
        day: { o: price(s) - 1, h: price(s) + 2, l: price(s) - 2, c: price(s), v: 654_321, vw: price(s) }, prevDay: { o: 1, h: 1, l: 1, c: prev(s), v: 1, vw: 1 },
        lastTrade: { p: price(s), s: 100, t: updatedMs * 1e6 }, lastQuote: { P: price(s) + 0.01, S: 1, p: price(s) - 0.01, s: 1, t: updatedMs * 1e6 },
      })),
    });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}
