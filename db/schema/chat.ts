import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth.ts';
import { portfolios } from './portfolio.ts';

export const messageRole = pgEnum('message_role', ['user', 'assistant', 'system']);
export const messageStatus = pgEnum('message_status', ['complete', 'partial', 'aborted', 'error']);

export const conversations = pgTable(
  'conversations',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    portfolioId: uuid().references(() => portfolios.id, { onDelete: 'set null' }),
    mode: text().notNull().default('green'),
    title: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('conversations_user_idx').on(t.userId)],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: messageRole().notNull(),
    content: text().notNull().default(''),
    status: messageStatus().notNull().default('complete'),
    /** Idempotency key of the send that produced this turn. */
    clientRequestId: text(),
    model: text(),
    usage: jsonb().$type<Record<string, number>>(),
    error: jsonb().$type<{ code: string; message: string }>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('messages_conversation_idx').on(t.conversationId, t.createdAt), unique('messages_request_key').on(t.conversationId, t.role, t.clientRequestId)],
);

export const toolCalls = pgTable(
  'tool_calls',
  {
    id: uuid().primaryKey().defaultRandom(),
    messageId: uuid()
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    toolCallId: text().notNull(),
    name: text().notNull(),
    arguments: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    ok: boolean(),
    rowCount: integer(),
    truncated: boolean(),
    resultBytes: integer(),
    durationMs: integer(),
    error: text(),
    round: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('tool_calls_message_idx').on(t.messageId)],
);
