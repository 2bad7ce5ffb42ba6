import { date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth.ts';
import { portfolios } from './portfolio.ts';

export const batchTrigger = pgEnum('batch_trigger', ['schedule', 'cli', 'api', 'agent', 'startup', 'change']);
export const runStatus = pgEnum('run_status', ['queued', 'running', 'succeeded', 'partial', 'failed', 'skipped', 'interrupted']);

export const batchRuns = pgTable(
  'batch_runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    asOf: date({ mode: 'string' }).notNull(),
    trigger: batchTrigger().notNull(),
    status: runStatus().notNull().default('queued'),
    requestedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** Portfolios in scope; empty means all. */
    portfolioIds: jsonb().$type<string[]>().notNull().default([]),
    options: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    durationMs: integer(),
    warnings: jsonb().$type<string[]>().notNull().default([]),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('batch_runs_as_of_idx').on(t.asOf)],
);

/** One row per (run, portfolio, phase); global phases have a null portfolio. */
export const batchPhaseRuns = pgTable(
  'batch_phase_runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => batchRuns.id, { onDelete: 'cascade' }),
    portfolioId: uuid().references(() => portfolios.id, { onDelete: 'cascade' }),
    phase: text().notNull(),
    status: runStatus().notNull().default('queued'),
    attempts: integer().notNull().default(0),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    durationMs: integer(),
    rowsWritten: integer().notNull().default(0),
    warnings: jsonb().$type<string[]>().notNull().default([]),
    metrics: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    error: text(),
  },
  (t) => [unique('batch_phase_runs_key').on(t.runId, t.portfolioId, t.phase).nullsNotDistinct(), index('batch_phase_runs_portfolio_idx').on(t.portfolioId)],
);
