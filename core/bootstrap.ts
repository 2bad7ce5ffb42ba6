/**
 * Prepares a database for use: applies migrations, seeds the demo book when it changed, and
 * loads the bundled market data once. Every step is idempotent; the first start does all three,
 * later starts only check checksums.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DbHandle } from '../db/client.ts';
import { getLoadChecksum, recordLoad } from '../db/queries/data-loads.ts';
import { DEMO_BOOK_PATH, readDemoBook, readStressCatalogue, seedDemo, STRESS_CATALOGUE_PATH, type SeedCounts } from '../db/seed/seed.ts';
import { DEMO_PASSWORD, hashPassword } from './auth/password.ts';
import type { Logger } from './logger.ts';
import { loadBundledMarketData } from './market-data/load-bundled.ts';

export const DEMO_LOAD_NAME = 'demo-book';

function seedChecksum(): string {
  return createHash('sha256').update(readFileSync(DEMO_BOOK_PATH)).update(readFileSync(STRESS_CATALOGUE_PATH)).digest('hex');
}

/** Seeds the demo book and stress catalogue (idempotent). `force` reseeds even when unchanged. */
export async function seedDatabase(handle: DbHandle, opts: { force?: boolean } = {}): Promise<SeedCounts | null> {
  const checksum = seedChecksum();
  if (!opts.force && (await getLoadChecksum(handle.db, DEMO_LOAD_NAME)) === checksum) return null;
  const counts = await seedDemo(handle.db, readDemoBook(), readStressCatalogue(), { passwordHash: await hashPassword(DEMO_PASSWORD) });
  await recordLoad(handle.db, DEMO_LOAD_NAME, checksum, counts.positions);
  return counts;
}

export interface PrepareOptions {
  seed: boolean;
  log?: Logger;
}

export async function prepareDatabase(handle: DbHandle, opts: PrepareOptions): Promise<void> {
  const t0 = performance.now();
  await handle.migrate();
  opts.log?.debug({ ms: Math.round(performance.now() - t0) }, 'migrations applied');
  if (!opts.seed) return;
  const seeded = await seedDatabase(handle);
  if (seeded) opts.log?.info(seeded, 'demo book seeded');
  const load = await loadBundledMarketData(handle.db);
  if (load.loaded) opts.log?.info({ priceRows: load.priceRows, rateRows: load.rateRows, ms: Math.round(load.ms) }, 'bundled market data loaded');
}
