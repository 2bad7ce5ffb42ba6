/**
 * Loads the bundled demo market data into market_prices and treasury_rates once. A checksum of
 * the files is recorded in data_loads, so later starts skip the load; changed files load again
 * (and, by source precedence, never overwrite a provider's close).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Db } from '../../db/client.ts';
import { getLoadChecksum, recordLoad } from '../../db/queries/data-loads.ts';
import { upsertPrices, upsertRates } from '../../db/queries/market-prices.ts';
import { BUNDLED_DIR, readBundledPrices, readBundledRates } from './bundled-files.ts';

export const BUNDLED_LOAD_NAME = 'bundled-market-data';
const FILES = ['prices_daily.csv', 'vix_daily.csv', 'treasury_yields_daily.csv'];

export function bundledChecksum(): string {
  const h = createHash('sha256');
  for (const f of FILES) h.update(readFileSync(BUNDLED_DIR + f));
  return h.digest('hex');
}

export interface BundledLoadResult {
  loaded: boolean;
  priceRows: number;
  rateRows: number;
  ms: number;
}

export async function loadBundledMarketData(db: Db, opts: { force?: boolean } = {}): Promise<BundledLoadResult> {
  const t0 = performance.now();
  const checksum = bundledChecksum();
  if (!opts.force && (await getLoadChecksum(db, BUNDLED_LOAD_NAME)) === checksum) {
    return { loaded: false, priceRows: 0, rateRows: 0, ms: performance.now() - t0 };
  }
  const prices = readBundledPrices();
  const rates = readBundledRates();
  let priceRows = 0;
  let rateRows = 0;
  await db.transaction(async (tx) => {
    priceRows = await upsertPrices(tx, prices, 'bundled');
    rateRows = await upsertRates(tx, rates, 'bundled');
    await recordLoad(tx, BUNDLED_LOAD_NAME, checksum, prices.length + rates.length);
  });
  return { loaded: true, priceRows, rateRows, ms: performance.now() - t0 };
}
