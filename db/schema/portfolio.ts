import { boolean, date, doublePrecision, index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth.ts';

export const positionType = pgEnum('position_type', ['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP']);
export const tagType = pgEnum('tag_type', ['REGULAR', 'STRATEGY']);
export const securityType = pgEnum('security_type', ['stock', 'etf', 'mutual_fund', 'index', 'option']);

const money = (precision = 20, scale = 6) => numeric({ precision, scale, mode: 'number' });

export const portfolios = pgTable(
  'portfolios',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    description: text(),
    currency: text().notNull().default('USD'),
    /** Opening equity in `currency`; cash = opening equity − Σ signed cost basis of positions. */
    openingEquity: money(20, 2).notNull().default(0),
    /** Symbol the portfolio is measured against (relative returns, benchmark beta). */
    benchmarkSymbol: text().notNull().default('SPY'),
    /** Last change to the book (portfolio or positions); stored results older than this are stale. */
    bookChangedAt: timestamp({ withTimezone: true }),
    /** What made the stored results stale: the audit entry of the latest change. */
    bookChange: jsonb().$type<{ audit_id: string; action: string; at: string; door: string }>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('portfolios_user_idx').on(t.userId)],
);

export const positions = pgTable(
  'positions',
  {
    id: uuid().primaryKey().defaultRandom(),
    portfolioId: uuid()
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    symbol: text().notNull(),
    positionType: positionType().notNull(),
    /** Signed: > 0 long, < 0 short (shares or option contracts). */
    quantity: money(20, 6).notNull(),
    entryPrice: money(20, 6).notNull(),
    entryDate: date({ mode: 'string' }).notNull(),
    exitPrice: money(20, 6),
    exitDate: date({ mode: 'string' }),
    /** 100 for listed equity options, 1 otherwise. */
    multiplier: integer().notNull().default(1),
    underlyingSymbol: text(),
    strikePrice: money(20, 6),
    expirationDate: date({ mode: 'string' }),
    /** ETF whose returns price this holding when it has no history of its own (mutual funds). */
    proxySymbol: text(),
    notes: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('positions_portfolio_idx').on(t.portfolioId), unique('positions_natural_key').on(t.portfolioId, t.symbol, t.entryDate)],
);

export const tags = pgTable(
  'tags',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    tagType: tagType().notNull().default('REGULAR'),
    color: text(),
    description: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('tags_user_name').on(t.userId, t.name)],
);

export const positionTags = pgTable(
  'position_tags',
  {
    positionId: uuid()
      .notNull()
      .references(() => positions.id, { onDelete: 'cascade' }),
    tagId: uuid()
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.positionId, t.tagId] }), index('position_tags_tag_idx').on(t.tagId)],
);

/** Security master: static classification per non-option symbol. */
export const securities = pgTable('securities', {
  symbol: text().primaryKey(),
  name: text(),
  securityType: securityType().notNull(),
  sector: text(),
  industry: text(),
  exchange: text(),
  country: text(),
  marketCapUsd: doublePrecision(),
  /** Declared proxy for holdings without their own history (e.g. FXNAX → AGG). */
  proxySymbol: text(),
  /** Symbols providers cannot resolve (an index, a renamed ticker) are not requested again. */
  isUnresolvable: boolean().notNull().default(false),
  unresolvableReason: text(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const factorDefinitions = pgTable('factor_definitions', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull().unique(),
  /** Short key used by the engines and stress shocks (Market, Value, …). */
  engineKey: text().unique(),
  description: text(),
  factorType: text().notNull(),
  calculationMethod: text().notNull(),
  etfProxy: text(),
  displayOrder: integer().notNull(),
  isActive: boolean().notNull().default(true),
});

export const stressScenarios = pgTable('stress_scenarios', {
  /** Stable string id from the catalogue, e.g. market_down_10. */
  id: text().primaryKey(),
  name: text().notNull(),
  description: text(),
  category: text().notNull(),
  groupKey: text().notNull(),
  severity: text().notNull(),
  /** Factor key → shock (fractional return; Interest_Rate: absolute yield change as a decimal). */
  shocks: jsonb().$type<Record<string, number>>().notNull(),
  catalogueOrder: integer().notNull(),
  isActive: boolean().notNull().default(true),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
