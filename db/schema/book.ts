/**
 * The user's own book: the audit trail of every change (who, when, which door, before and after),
 * holdings-file imports (a preview kept until it is committed), and the agent's pending write
 * proposals awaiting the user's approval.
 */
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth.ts';
import { conversations } from './chat.ts';
import { portfolios } from './portfolio.ts';

export const changeDoor = pgEnum('change_door', ['rest', 'mcp', 'cli', 'agent']);
export const importStatus = pgEnum('import_status', ['previewed', 'committed', 'discarded']);
export const approvalStatus = pgEnum('approval_status', ['pending', 'approved', 'rejected', 'expired', 'failed']);

export const portfolioAudit = pgTable(
  'portfolio_audit',
  {
    id: uuid().primaryKey().defaultRandom(),
    portfolioId: uuid()
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    /** Who made the change; kept when the account goes (set null). */
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    door: changeDoor().notNull(),
    /** portfolio.create | portfolio.update | portfolio.delete | position.add | position.update | position.close | position.delete | import.commit */
    action: text().notNull(),
    positionId: uuid(),
    importId: uuid(),
    before: jsonb().$type<Record<string, unknown> | null>(),
    after: jsonb().$type<Record<string, unknown> | null>(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('portfolio_audit_portfolio_idx').on(t.portfolioId, t.at)],
);

export const holdingsImports = pgTable(
  'holdings_imports',
  {
    id: uuid().primaryKey().defaultRandom(),
    portfolioId: uuid()
      .notNull()
      .references(() => portfolios.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    door: changeDoor().notNull(),
    format: text().notNull(),
    filename: text(),
    contentHash: text().notNull(),
    rowCount: integer().notNull(),
    problemCount: integer().notNull(),
    status: importStatus().notNull().default('previewed'),
    /** The preview as answered: rows understood, what each becomes, problems. */
    preview: jsonb().$type<Record<string, unknown>>().notNull(),
    mode: text(),
    /** Counts written by the commit (created, updated, unchanged, closed). */
    result: jsonb().$type<Record<string, number>>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    committedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('holdings_imports_portfolio_idx').on(t.portfolioId, t.createdAt)],
);

export const agentApprovals = pgTable(
  'agent_approvals',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** The model's tool call id the approval answers. */
    toolCallId: text().notNull(),
    toolName: text().notNull(),
    arguments: jsonb().$type<Record<string, unknown>>().notNull(),
    /** The exact change in words, as shown to the user. */
    summary: text().notNull(),
    status: approvalStatus().notNull().default('pending'),
    /** Model conversation state needed to resume the turn. */
    resume: jsonb().$type<Record<string, unknown>>(),
    result: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('agent_approvals_conversation_idx').on(t.conversationId, t.createdAt)],
);
