/**
 * Typed market-data configuration. Entry points build it from the environment
 * (`marketDataConfigFromEnv`); deep modules receive it and never read the environment.
 * Without API keys the provider list is just `bundled`, and everything works offline.
 */
import type { Env } from '../env.ts';
import type { Logger } from '../logger.ts';
import { HTTP_DEFAULTS, type HttpProviderConfig } from './http/provider-config.ts';
import type { MarketDataProvider, ProviderName } from './provider.ts';
import { createBundledProvider } from './providers/bundled.ts';
import { createFmpProvider } from './providers/fmp.ts';
import { createPolygonProvider } from './providers/polygon.ts';

export interface MarketDataConfig {
  /** Providers in precedence order; `bundled` is always present. */
  precedence: ProviderName[];
  fmp?: HttpProviderConfig;
  polygon?: HttpProviderConfig;
}

/** Builds the configuration from the parsed environment: a provider is on only when its key is set. */
export function marketDataConfigFromEnv(env: Env): MarketDataConfig {
  const http = (apiKey: string, baseUrl: string, requestsPerMinute: number): HttpProviderConfig => ({
    ...HTTP_DEFAULTS, apiKey, baseUrl, requestsPerMinute, timeoutMs: env.MARKET_DATA_TIMEOUT_MS, maxAttempts: env.MARKET_DATA_MAX_ATTEMPTS,
  });
  const config: MarketDataConfig = { precedence: [] };
  if (env.FMP_API_KEY) config.fmp = http(env.FMP_API_KEY, env.FMP_BASE_URL, env.FMP_REQUESTS_PER_MINUTE);
  if (env.POLYGON_API_KEY) config.polygon = http(env.POLYGON_API_KEY, env.POLYGON_BASE_URL, env.POLYGON_REQUESTS_PER_MINUTE);
  const listed = env.MARKET_DATA_PROVIDERS.filter((p) => p === 'bundled' || config[p] !== undefined);
  config.precedence = [...new Set([...listed, 'bundled' as const])];
  return config;
}

/** The configured providers in precedence order; `fetch` is injectable for tests. */
export function createProviders(config: MarketDataConfig, opts: { fetch?: typeof fetch; log?: Logger } = {}): MarketDataProvider[] {
  return config.precedence.map((name) => {
    if (name === 'fmp') return createFmpProvider(config.fmp!, opts);
    if (name === 'polygon') return createPolygonProvider(config.polygon!, opts);
    return createBundledProvider();
  });
}
