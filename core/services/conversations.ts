/**
 * Conversations and their turns. A conversation belongs to one user and one of that user's
 * portfolios (checked at creation); another user's conversation id answers NOT_FOUND. A turn is a
 * user row plus an assistant row inserted together before anything streams; the assistant text is
 * saved as it streams and closed with its status (complete, aborted, error). A send carrying a
 * `client_request_id` already used in the conversation returns the stored turn instead of running
 * again.
 */
import type { z } from '@hono/zod-openapi';
import * as q from '../../db/queries/chat.ts';
import { DEFAULT_MODE, type ChatMessage, type Conversation, type Mode, type ToolCallRecordSchema } from '../contracts/chat.ts';
import { notFound, toAppError } from '../errors.ts';
import type { Principal, ServiceDeps } from './context.ts';
import { UUID_LIKE } from './context.ts';
import { resolvePortfolioId } from './portfolio-directory.ts';

export type { ConversationRow, MessageStatus } from '../../db/queries/chat.ts';

const TITLE_CHARS = 80;

/** The snake_case view of a conversation row. */
export function toConversation(row: q.ConversationRow): Conversation {
  return {
    id: row.id, mode: row.mode as Mode, portfolio_id: row.portfolioId, title: row.title, provider: 'openai', provider_thread_id: null,
    created_at: row.createdAt.toISOString(), updated_at: row.updatedAt.toISOString(),
  };
}

/** Creates a conversation on one of the caller's portfolios (default: their first); NOT_FOUND for any other id. */
export async function createConversation(deps: ServiceDeps, principal: Principal, input: { mode?: Mode | undefined; portfolio_id?: string | undefined }): Promise<q.ConversationRow> {
  const portfolioId = await resolvePortfolioId(deps, principal, input.portfolio_id);
  return q.insertConversation(deps.db, { userId: principal.userId, portfolioId, mode: input.mode ?? DEFAULT_MODE });
}

/** The caller's conversation, or NOT_FOUND (also for a malformed or foreign id). */
export async function requireConversation(deps: ServiceDeps, principal: Principal, id: string): Promise<q.ConversationRow> {
  const row = UUID_LIKE.test(id) ? await q.findConversation(deps.db, principal.userId, id) : null;
  if (!row) throw notFound('conversation', id);
  return row;
}

export async function listConversations(deps: ServiceDeps, principal: Principal, page: { limit: number; offset: number }): Promise<Conversation[]> {
  return (await q.listConversations(deps.db, principal.userId, page)).map(toConversation);
}

export async function setConversationMode(deps: ServiceDeps, principal: Principal, id: string, mode: Mode) {
  const row = await requireConversation(deps, principal, id);
  const at = deps.clock();
  await q.updateConversation(deps.db, row.id, { mode, updatedAt: at });
  return { id: row.id, previous_mode: row.mode as Mode, new_mode: mode, changed_at: at.toISOString() };
}

export async function deleteConversation(deps: ServiceDeps, principal: Principal, id: string): Promise<void> {
  if (!UUID_LIKE.test(id) || !(await q.deleteConversation(deps.db, principal.userId, id))) throw notFound('conversation', id);
}

type ToolCallRecord = z.infer<typeof ToolCallRecordSchema>;

function toToolCallRecord(t: q.ToolCallRow): ToolCallRecord {
  return {
    tool_call_id: t.toolCallId, name: t.name, arguments: t.arguments, ok: t.ok, row_count: t.rowCount, truncated: t.truncated,
    result_bytes: t.resultBytes, duration_ms: t.durationMs, error: t.error, round: t.round,
  };
}

function toMessage(m: q.MessageRow, calls: q.ToolCallRow[]): ChatMessage {
  return {
    id: m.id, message_id: m.id, role: m.role, content: m.content, status: m.status, model: m.model, usage: m.usage ?? null, error: m.error ?? null,
    tool_calls: calls.filter((c) => c.messageId === m.id).map(toToolCallRecord), created_at: m.createdAt.toISOString(),
  };
}

/** A page of the caller's conversation messages, oldest first, with their tool calls. */
export async function listConversationMessages(deps: ServiceDeps, principal: Principal, id: string, page: { limit: number; offset: number }) {
  const conv = await requireConversation(deps, principal, id);
  const { rows, total } = await q.listMessages(deps.db, conv.id, page);
  const calls = await q.listToolCalls(deps.db, rows.filter((r) => r.role === 'assistant').map((r) => r.id));
  return { messages: rows.map((r) => toMessage(r, calls)), total_count: total, has_more: page.offset + rows.length < total };
}

export interface BegunTurn {
  userMessageId: string;
  assistantMessageId: string;
  /** Set when the idempotency key was already used: the stored assistant row, nothing new inserted. */
  replay: { status: q.MessageStatus; content: string; error: { code: string; message: string } | null } | null;
}

/** Stores the user message and an empty assistant message (status partial), or finds the turn of a reused key. */
export async function beginTurn(deps: ServiceDeps, conv: q.ConversationRow, input: { text: string; clientRequestId?: string | undefined; model: string }): Promise<BegunTurn> {
  const key = input.clientRequestId ?? null;
  const existing = key ? await q.findTurnByRequest(deps.db, conv.id, key) : null;
  if (existing) return replayOf(existing);
  try {
    // Messages order by creation time: keep each turn after the previous one even if the clock stands still.
    const latest = await q.latestMessageAt(deps.db, conv.id);
    const now = deps.clock();
    const at = latest && latest >= now ? new Date(latest.getTime() + 1) : now;
    const rows = await q.insertTurn(deps.db, { conversationId: conv.id, text: input.text, clientRequestId: key, model: input.model, at, title: input.text.slice(0, TITLE_CHARS) });
    return { userMessageId: rows.user.id, assistantMessageId: rows.assistant.id, replay: null };
  } catch (err) {
    // Two sends with one key raced: the loser answers with the winner's turn.
    const raced = key && toAppError(err).code === 'CONFLICT' ? await q.findTurnByRequest(deps.db, conv.id, key) : null;
    if (raced) return replayOf(raced);
    throw err;
  }
}

function replayOf(t: q.TurnRows): BegunTurn {
  return { userMessageId: t.user.id, assistantMessageId: t.assistant.id, replay: { status: t.assistant.status, content: t.assistant.content, error: t.assistant.error ?? null } };
}

/** Saves the assistant text streamed so far (the row stays `partial`). */
export async function saveAssistantText(deps: ServiceDeps, messageId: string, content: string): Promise<void> {
  await q.updateMessage(deps.db, messageId, { content, updatedAt: deps.clock() });
}

export interface AssistantOutcome {
  content: string;
  status: 'complete' | 'aborted' | 'error';
  model: string;
  usage?: Record<string, number>;
  error?: { code: string; message: string };
}

/** Closes an assistant message with its final text and status. */
export async function finishAssistant(deps: ServiceDeps, messageId: string, out: AssistantOutcome): Promise<void> {
  await q.updateMessage(deps.db, messageId, { content: out.content, status: out.status, model: out.model, usage: out.usage ?? null, error: out.error ?? null, updatedAt: deps.clock() });
}

export type ToolCallInput = Omit<ToolCallRecord, 'tool_call_id' | 'result_bytes' | 'row_count' | 'duration_ms'> & { tool_call_id: string; row_count: number; result_bytes: number; duration_ms: number };

/** Stores tool calls of an assistant message, several in one statement. */
export async function recordToolCalls(deps: ServiceDeps, messageId: string, calls: ToolCallInput[]): Promise<void> {
  await q.insertToolCalls(
    deps.db,
    calls.map((c) => ({
      messageId, toolCallId: c.tool_call_id, name: c.name, arguments: c.arguments, ok: c.ok, rowCount: c.row_count, truncated: c.truncated,
      resultBytes: c.result_bytes, durationMs: c.duration_ms, error: c.error, round: c.round,
    })),
  );
}

export interface HistoryEntry {
  role: 'user' | 'assistant';
  content: string;
  /** Compact record of the tools an assistant turn called: name, arguments, rows. */
  toolSummary: string[];
}

/** The last `limit` messages before the current turn, oldest first, skipping empty assistant rows. */
export async function loadHistory(deps: ServiceDeps, conversationId: string, exclude: string[], limit = 20): Promise<HistoryEntry[]> {
  const rows = (await q.recentMessages(deps.db, conversationId, limit + exclude.length)).filter((r) => !exclude.includes(r.id) && r.role !== 'system');
  const calls = await q.listToolCalls(deps.db, rows.filter((r) => r.role === 'assistant').map((r) => r.id));
  return rows
    .filter((r) => r.content.trim() !== '')
    .slice(-limit)
    .map((r) => ({
      role: r.role as 'user' | 'assistant',
      content: r.status === 'complete' ? r.content : `${r.content}\n[this answer was interrupted]`,
      toolSummary: calls.filter((c) => c.messageId === r.id).map((c) => `${c.name}(${JSON.stringify(c.arguments)}) → ${c.ok ? `${c.rowCount ?? 0} rows` : 'error'}`),
    }));
}
