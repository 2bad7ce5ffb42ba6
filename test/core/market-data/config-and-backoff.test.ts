/** Market-data configuration from the environment, backoff arithmetic, bar cleaning and provider tickers. */
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../../core/env.ts';
import { createProviders, marketDataConfigFromEnv } from '../../../core/market-data/config.ts';
import { backoffDelay, parseRetryAfter } from '../../../core/market-data/http/retry-after.ts';
import { cleanBars } from '../../../core/market-data/providers/clean-bars.ts';
import { createBundledProvider } from '../../../core/market-data/providers/bundled.ts';
import { createFmpProvider } from '../../../core/market-data/providers/fmp.ts';
import { bundledSeries } from '../../helpers/bundled-prices.ts';
import { polygonTicker } from '../../../core/market-data/providers/polygon.ts';
import { instrumentKind, OCC_SYMBOL } from '../../../core/market-data/universe.ts';

describe('market-data configuration', () => {
  it('without keys the providers are just bundled (offline)', () => {
    const config = marketDataConfigFromEnv(parseEnv({}));
    expect(config).toEqual({ precedence: ['bundled'] });
    expect(createProviders(config).map((p) => p.name)).toEqual(['bundled']);
  });

  it('keys switch providers on in the configured precedence; bundled is always last resort', () => {
    const env = parseEnv({ FMP_API_KEY: 'f', POLYGON_API_KEY: 'p', MARKET_DATA_PROVIDERS: 'polygon,fmp', POLYGON_REQUESTS_PER_MINUTE: '100', MARKET_DATA_TIMEOUT_MS: '5000' });
    const config = marketDataConfigFromEnv(env);
    expect(config.precedence).toEqual(['polygon', 'fmp', 'bundled']);
    expect(config.polygon).toMatchObject({ apiKey: 'p', baseUrl: 'https://api.polygon.io', requestsPerMinute: 100, timeoutMs: 5000, maxAttempts: 5 });
    expect(config.fmp).toMatchObject({ apiKey: 'f', baseUrl: 'https://financialmodelingprep.com', requestsPerMinute: 250 });
    expect(createProviders(config).map((p) => p.name)).toEqual(['polygon', 'fmp', 'bundled']);
    expect(marketDataConfigFromEnv(parseEnv({ POLYGON_API_KEY: 'p', MARKET_DATA_PROVIDERS: 'fmp,bundled' })).precedence).toEqual(['bundled']);
  });

  it.each([
    [{ MARKET_DATA_PROVIDERS: 'yahoo' }, 'MARKET_DATA_PROVIDERS'],
    [{ FMP_BASE_URL: 'ftp://x' }, 'FMP_BASE_URL'],
    [{ POLYGON_REQUESTS_PER_MINUTE: '0' }, 'POLYGON_REQUESTS_PER_MINUTE'],
    [{ MARKET_DATA_TIMEOUT_MS: 'soon' }, 'MARKET_DATA_TIMEOUT_MS'],
    [{ MARKET_DATA_MAX_ATTEMPTS: '11' }, 'MARKET_DATA_MAX_ATTEMPTS'],
  ])('%j is refused with one line naming the variable', (env, name) => {
    try {
      parseEnv(env);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      expect((err as EnvError).lines).toHaveLength(1);
      expect((err as EnvError).lines[0]).toMatch(new RegExp(`^Invalid environment variable ${name}: `));
    }
  });
});

describe('backoff', () => {
  const now = Date.parse('2026-07-14T12:00:00Z');
  it('parses Retry-After as seconds or an HTTP-date (RFC 9110 §10.2.3)', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Tue, 14 Jul 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 14 Jul 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });

  it('doubles per attempt with equal jitter, caps at maxMs, and never undercuts Retry-After', () => {
    const base = { baseMs: 100, maxMs: 1_000, maxRetryAfterMs: 5_000 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay({ ...base, attempt, random: () => 0 }))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay({ ...base, attempt, random: () => 1 }))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay({ ...base, attempt: 1, random: () => 0.5, retryAfterMs: 2_000 })).toBe(2_000);
    expect(backoffDelay({ ...base, attempt: 4, random: () => 1, retryAfterMs: 10 })).toBe(800);
    expect(backoffDelay({ ...base, attempt: 1, random: () => 0, retryAfterMs: 60_000 })).toBe(5_000);
  });
});

describe('provider bars and tickers', () => {
  it('keeps trading days in range with positive closes, one per date, rounded to 6 decimals', () => {
    const bar = (date: string, close: number) => ({ date, close, open: close, high: null, low: null, volume: 5 });
    const out = cleanBars([bar('2026-07-13', 10.1234567), bar('2026-07-11', 9), bar('2026-07-03', 9), bar('2026-07-10', 0), bar('2026-07-09', 8), bar('2026-07-09', 8.5), bar('2026-06-01', 7)], '2026-07-01', '2026-07-13');
    expect(out).toEqual([{ date: '2026-07-09', close: 8.5, open: 8.5, high: null, low: null, volume: 5 }, { date: '2026-07-13', close: 10.123457, open: 10.123457, high: null, low: null, volume: 5 }]);
  });

  it('maps symbols to Polygon tickers and classifies instruments', () => {
    expect(polygonTicker('BRK-B', 'equity')).toBe('BRK.B');
    expect(polygonTicker('VIX', 'index')).toBe('I:VIX');
    expect(polygonTicker('SPY270319C00535000', 'option')).toBe('O:SPY270319C00535000');
    expect(OCC_SYMBOL.test('VIX270120C00023000')).toBe(true);
    expect(OCC_SYMBOL.test('BRK-B')).toBe(false);
    expect(instrumentKind('AAPL270219P00185000', null)).toBe('option');
    expect(instrumentKind('FXNAX', 'mutual_fund')).toBe('fund');
    expect(instrumentKind('VIX', 'index')).toBe('index');
    expect(instrumentKind('NEWCO', null)).toBe('equity');
  });
});

describe('FMP response shapes', () => {
  const cfg = { apiKey: 'k', baseUrl: 'http://127.0.0.1:9', requestsPerMinute: 1000, concurrency: 1, timeoutMs: 1000, maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1, breakerThreshold: 5, breakerHalfOpenMs: 1000 };
  const serving = (body: unknown, seen: URL[] = []) => createFmpProvider(cfg, { fetch: async (u) => (seen.push(new URL(String(u))), new Response(JSON.stringify(body), { status: 200 })) });

  it('parses the legacy historical-price-full shape (adjClose preferred) and {} as no data', async () => {
    const legacy = { symbol: 'AAPL', historical: [{ date: '2026-07-13', open: 1, high: 2, low: 0.5, close: 1.5, adjClose: 1.4, volume: 10, unadjustedVolume: 10, change: 0, changePercent: 0, vwap: 1, label: 'July 13', changeOverTime: 0 }] };
    expect(await serving(legacy).dailyBars({ symbol: 'AAPL', kind: 'equity', from: '2026-07-01', to: '2026-07-13' })).toEqual([{ date: '2026-07-13', close: 1.4, open: 1, high: 2, low: 0.5, volume: 10 }]);
    expect(await serving({}).dailyBars({ symbol: 'AAPL', kind: 'equity', from: '2026-07-01', to: '2026-07-13' })).toEqual([]);
  });

  it('requests indices as ^SYMBOL with the key as a query parameter, and reports an Error Message body', async () => {
    const seen: URL[] = [];
    await serving([], seen).dailyBars({ symbol: 'VIX', kind: 'index', from: '2026-07-01', to: '2026-07-13' });
    expect(seen[0]!.pathname).toBe('/stable/historical-price-eod/dividend-adjusted');
    expect(Object.fromEntries(seen[0]!.searchParams)).toEqual({ symbol: '^VIX', from: '2026-07-01', to: '2026-07-13', apikey: 'k' });
    await expect(serving({ 'Error Message': 'Limit Reach' }).dailyBars({ symbol: 'X', kind: 'equity', from: '2026-07-01', to: '2026-07-13' })).rejects.toMatchObject({ kind: 'rejected', message: expect.stringContaining('Limit Reach') });
  });
});

describe('bundled provider', () => {
  it('serves the shipped closes for a range, VIX with its OHLC, and nothing for options', async () => {
    const p = createBundledProvider();
    const bars = await p.dailyBars({ symbol: 'AAPL', kind: 'equity', from: '2026-07-09', to: '2026-07-13' });
    const csv = bundledSeries('AAPL');
    expect(bars.map((b) => [b.date, b.close])).toEqual(csv.dates.filter((d) => d >= '2026-07-09').map((d) => [d, csv.closes[csv.dates.indexOf(d)]]));
    const vix = await p.dailyBars({ symbol: 'VIX', kind: 'index', from: '2020-01-02', to: '2020-01-02' });
    expect(vix).toEqual([{ date: '2020-01-02', close: 12.47, open: 13.46, high: 13.72, low: 12.42, volume: null }]); // data/market/vix_daily.csv line 2
    expect(p.supports('option')).toBe(false);
    expect(await p.dailyBars({ symbol: 'FXNAX', kind: 'fund', from: '2020-01-01', to: '2026-12-31' })).toEqual([]);
  });
});
