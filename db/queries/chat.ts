/**
 * Chat persistence queries: conversations (one user each), messages (a user row and an assistant
 * row per turn, the assistant text updated as it streams) and tool calls. Every read that takes a
 * conversation id also takes the owner's user id, so a foreign id simply finds nothing.
 */
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { conversations, messages, toolCalls } from '../schema/index.ts';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type ToolCallRow = typeof toolCalls.$inferSelect;
export type MessageStatus = MessageRow['status'];

export async function insertConversation(db: Db, row: { userId: string; portfolioId: string; mode: string; title?: string | null }): Promise<ConversationRow> {
  const [created] = await db.insert(conversations).values(row).returning();
  return created!;
}

/** The user's conversation with this id, or null (also for another user's id). */
export async function findConversation(db: Db, userId: string, id: string): Promise<ConversationRow | null> {
  const [row] = await db.select().from(conversations).where(and(eq(conversations.id, id), eq(conversations.userId, userId))).limit(1);
  return row ?? null;
}

/** The user's conversations, most recently active first. */
export function listConversations(db: Db, userId: string, page: { limit: number; offset: number }): Promise<ConversationRow[]> {
  return db.select().from(conversations).where(eq(conversations.userId, userId)).orderBy(desc(conversations.updatedAt), desc(conversations.createdAt)).limit(page.limit).offset(page.offset);
}

export async function updateConversation(db: Db, id: string, set: { mode?: string; title?: string; updatedAt: Date }): Promise<void> {
  await db.update(conversations).set(set).where(eq(conversations.id, id));
}

/** Deletes the user's conversation (messages and tool calls cascade); false when there was none. */
export async function deleteConversation(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db.delete(conversations).where(and(eq(conversations.id, id), eq(conversations.userId, userId))).returning({ id: conversations.id });
  return rows.length > 0;
}

export interface TurnRows {
  user: MessageRow;
  assistant: MessageRow;
}

/**
 * Inserts the user row and the empty assistant row of a turn in one statement (atomic on its own),
 * then bumps the conversation's `updated_at` and sets its title if it has none.
 */
export async function insertTurn(db: Db, t: { conversationId: string; text: string; clientRequestId: string | null; model: string; at: Date; title: string }): Promise<TurnRows> {
  // The assistant row is one millisecond later, so ordering by created_at keeps the pair in order.
  const later = new Date(t.at.getTime() + 1);
  const rows = await db
    .insert(messages)
    .values([
      { conversationId: t.conversationId, role: 'user', content: t.text, status: 'complete', clientRequestId: t.clientRequestId, createdAt: t.at, updatedAt: t.at },
      { conversationId: t.conversationId, role: 'assistant', content: '', status: 'partial', clientRequestId: t.clientRequestId, model: t.model, createdAt: later, updatedAt: later },
    ])
    .returning();
  await db.update(conversations).set({ updatedAt: t.at, title: sql`coalesce(${conversations.title}, ${t.title})` }).where(eq(conversations.id, t.conversationId));
  return { user: rows.find((r) => r.role === 'user')!, assistant: rows.find((r) => r.role === 'assistant')! };
}

/** Creation time of the conversation's latest message, or null. */
export async function latestMessageAt(db: Db, conversationId: string): Promise<Date | null> {
  const [row] = await db.select({ at: messages.createdAt }).from(messages).where(eq(messages.conversationId, conversationId)).orderBy(desc(messages.createdAt)).limit(1);
  return row?.at ?? null;
}

/** The turn an idempotency key produced in a conversation, or null. */
export async function findTurnByRequest(db: Db, conversationId: string, clientRequestId: string): Promise<TurnRows | null> {
  const rows = await db.select().from(messages).where(and(eq(messages.conversationId, conversationId), eq(messages.clientRequestId, clientRequestId)));
  const user = rows.find((r) => r.role === 'user');
  const assistant = rows.find((r) => r.role === 'assistant');
  return user && assistant ? { user, assistant } : null;
}

export async function updateMessage(db: Db, id: string, set: Partial<Pick<MessageRow, 'content' | 'status' | 'model' | 'usage' | 'error'>> & { updatedAt: Date }): Promise<void> {
  await db.update(messages).set(set).where(eq(messages.id, id));
}

/** Inserts a turn's tool-call rows in one statement, in the order given. */
export async function insertToolCalls(db: Db, rows: Array<typeof toolCalls.$inferInsert>): Promise<void> {
  if (rows.length > 0) await db.insert(toolCalls).values(rows);
}

/** A page of a conversation's messages, oldest first, with the total count. */
export async function listMessages(db: Db, conversationId: string, page: { limit: number; offset: number }): Promise<{ rows: MessageRow[]; total: number }> {
  const [rows, [total]] = await Promise.all([
    db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(asc(messages.createdAt), asc(messages.role)).limit(page.limit).offset(page.offset),
    db.select({ n: count() }).from(messages).where(eq(messages.conversationId, conversationId)),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** The most recent `limit` messages of a conversation, oldest first. */
export async function recentMessages(db: Db, conversationId: string, limit: number): Promise<MessageRow[]> {
  const rows = await db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(desc(messages.createdAt)).limit(limit);
  return rows.reverse();
}

/** Tool calls of the given assistant messages, in call order. */
export function listToolCalls(db: Db, messageIds: string[]): Promise<ToolCallRow[]> {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db.select().from(toolCalls).where(inArray(toolCalls.messageId, messageIds)).orderBy(asc(toolCalls.createdAt), asc(toolCalls.round));
}
