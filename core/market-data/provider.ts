/**
 * The one market-data provider interface. Every source — the bundled files, Financial Modeling
 * Prep, Polygon — answers the same calls; the sync picks providers in the configured precedence
 * and falls back to the next one when a provider fails for a symbol.
 *
 * Prices are split- and dividend-adjusted daily closes (the basis of the bundled data), dates are
 * exchange-local ISO dates, yields are in percent.
 */
import type { StoredBar } from '../../db/queries/market-coverage.ts';
import type { PriceSource } from '../../db/schema/market.ts';

export type ProviderName = Extract<PriceSource, 'bundled' | 'fmp' | 'polygon'>;
export const PROVIDER_NAMES: readonly ProviderName[] = ['fmp', 'polygon', 'bundled'];

/** How a symbol is requested: equities and funds by ticker, indices and options by their provider names. */
export type InstrumentKind = 'equity' | 'fund' | 'index' | 'option';

/** A daily bar as a provider serves it: the stored bar's fields without the source (close adjusted, > 0). */
export type DailyBar = Omit<StoredBar, 'source'>;

export interface ProviderQuote {
  symbol: string;
  price: number;
  previousClose: number | null;
  open: number | null;
  high: number | null;
  low: number | null;
  volume: number | null;
  /** Exchange-local date of the price. */
  date: string;
}

export interface ProviderRate {
  /** Bundled series names: `^IRX` 13-week bill, `^TNX` 10-year note. */
  series: string;
  date: string;
  yieldPct: number;
}

export interface BarsRequest {
  symbol: string;
  kind: InstrumentKind;
  from: string;
  to: string;
  signal?: AbortSignal;
}

export interface MarketDataProvider {
  readonly name: ProviderName;
  /** Whether the provider can serve daily bars for this kind of instrument at all. */
  supports(kind: InstrumentKind): boolean;
  /** Daily bars with from ≤ date ≤ to, in date order; [] when the provider has none in the range. */
  dailyBars(req: BarsRequest): Promise<DailyBar[]>;
  /** Latest quotes; symbols the provider does not know are left out. */
  quotes?(symbols: readonly string[], signal?: AbortSignal): Promise<ProviderQuote[]>;
  /** Treasury yields (percent) with from ≤ date ≤ to. */
  treasuryRates?(from: string, to: string, signal?: AbortSignal): Promise<ProviderRate[]>;
}

export type ProviderErrorKind = 'rate_limited' | 'server' | 'timeout' | 'network' | 'malformed' | 'auth' | 'not_found' | 'rejected' | 'circuit_open' | 'aborted';

/**
 * A provider call that failed after its retries. `partial` holds bars from pages that parsed
 * before a later page failed: they are valid and may be written; the failure is still reported.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly provider: ProviderName,
    readonly kind: ProviderErrorKind,
    message: string,
    readonly opts: { status?: number; retryAfterMs?: number; partial?: DailyBar[]; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
  }

  /** Worth another attempt after a pause: 429, 5xx, timeouts and dropped connections. */
  get transient(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'network';
  }
}
