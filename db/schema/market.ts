import { bigint, date, doublePrecision, index, numeric, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Where a price came from, and its rank: a row is only ever replaced by one of equal or higher
 * rank, so a provider's close overwrites a bundled, seeded or placeholder close, never the reverse.
 */
export const PRICE_SOURCE_RANK = {
  placeholder: 0,
  seed: 10,
  bundled: 20,
  manual: 30,
  polygon: 40,
  fmp: 40,
} as const;

export type PriceSource = keyof typeof PRICE_SOURCE_RANK;

/** Daily adjusted closes keyed by (symbol, date). Indices (^VIX) are stored here too. */
export const marketPrices = pgTable(
  'market_prices',
  {
    symbol: text().notNull(),
    date: date({ mode: 'string' }).notNull(),
    close: numeric({ precision: 20, scale: 6, mode: 'number' }).notNull(),
    open: numeric({ precision: 20, scale: 6, mode: 'number' }),
    high: numeric({ precision: 20, scale: 6, mode: 'number' }),
    low: numeric({ precision: 20, scale: 6, mode: 'number' }),
    volume: doublePrecision(),
    source: text().$type<PriceSource>().notNull(),
    sourceRank: smallint().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.symbol, t.date] }), index('market_prices_date_idx').on(t.date)],
);

/** Treasury yields in percent (4.609 = 4.609 %), keyed by (series, date); ^IRX 13-week bill, ^TNX 10-year. */
export const treasuryRates = pgTable(
  'treasury_rates',
  {
    series: text().notNull(),
    date: date({ mode: 'string' }).notNull(),
    yieldPct: numeric({ precision: 10, scale: 4, mode: 'number' }).notNull(),
    source: text().$type<PriceSource>().notNull(),
    sourceRank: smallint().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.series, t.date] })],
);

/** One row per completed bundled-data load, so later starts know not to reload. */
export const dataLoads = pgTable('data_loads', {
  name: text().primaryKey(),
  checksum: text().notNull(),
  rows: numeric({ precision: 12, scale: 0, mode: 'number' }).notNull(),
  loadedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * One row whose `version` every statement that writes market_prices or treasury_rates bumps (a
 * statement-level trigger, migration 0006): readers that keep price history in memory compare it
 * to know, with one indexed read, whether any close or yield changed since they loaded.
 */
export const marketDataVersion = pgTable('market_data_version', {
  id: smallint().primaryKey().default(1),
  version: bigint({ mode: 'number' }).notNull().default(0),
});
