/**
 * A chat send, in two steps so every refusal is plain HTTP before the stream opens:
 * `prepareTurn` checks the conversation (NOT_FOUND for another user's), handles `/mode <name>`,
 * finds the turn of a reused `client_request_id`, refuses a second concurrent turn (CONFLICT) and
 * stores the user and empty assistant rows; `PreparedTurn.run` then streams the events. A new
 * message supersedes any change still waiting for approval in the conversation (it expires).
 */
import { requireOwnedPortfolio, type Principal } from '../core/services/context.ts';
import { beginTurn, requireConversation, setConversationMode, type ConversationRow } from '../core/services/conversations.ts';
import { resolvePortfolioId } from '../core/services/portfolio-directory.ts';
import { AppError } from '../core/errors.ts';
import { supersedePending } from '../core/services/approvals.ts';
import { newRunId, RunEmitter, type FrameSink } from './events.ts';
import { isMode, parseModeCommand, type Mode } from './personas.ts';
import { runLiveTurn } from './run.ts';
import type { AgentRuntime } from './runtime.ts';

export interface TurnInput {
  conversationId: string;
  text: string;
  clientRequestId?: string | undefined;
}

export interface PreparedTurn {
  conversationId: string;
  /** Streams the turn's events to `sink`; `signal` aborts when the client disconnects. */
  run(sink: FrameSink, signal: AbortSignal): Promise<void>;
}

export async function prepareTurn(rt: AgentRuntime, principal: Principal, input: TurnInput): Promise<PreparedTurn> {
  const conv = await requireConversation(rt.deps, principal, input.conversationId);
  const mode = parseModeCommand(input.text);
  if (mode) {
    const changed = await setConversationMode(rt.deps, principal, conv.id, mode);
    return { conversationId: conv.id, run: (sink) => modeStream(sink, conv.id, changed.new_mode, rt.model.model) };
  }
  if (rt.active.has(conv.id)) throw new AppError('CONFLICT', 'a reply is still streaming in this conversation; wait for it to finish');
  rt.active.add(conv.id);
  try {
    const portfolio = await requireOwnedPortfolio(rt.deps.db, principal, conv.portfolioId ?? (await resolvePortfolioId(rt.deps, principal)));
    const begun = await beginTurn(rt.deps, conv, { text: input.text, clientRequestId: input.clientRequestId, model: rt.model.model });
    if (begun.replay) {
      rt.active.delete(conv.id);
      const replay = begun.replay;
      return { conversationId: conv.id, run: (sink) => replayStream(sink, conv, { ...begun, replay }, rt.model.model) };
    }
    const superseded = await supersedePending(rt.deps, conv.id);
    if (superseded > 0) rt.deps.log.info({ conversationId: conv.id, superseded }, 'pending approvals expired by a new message');
    const ctx = { rt, principal, conv, mode: (isMode(conv.mode) ? conv.mode : 'green') as Mode, portfolio, userText: input.text, begun };
    return { conversationId: conv.id, run: (sink, signal) => runLiveTurn(ctx, sink, signal) };
  } catch (err) {
    rt.active.delete(conv.id);
    throw err;
  }
}

/** `/mode <name>`: start, a system message, done; nothing stored as a message (spec 7.5). */
async function modeStream(sink: FrameSink, conversationId: string, mode: Mode, model: string): Promise<void> {
  const em = new RunEmitter(newRunId(), sink);
  void em.emit('start', { conversation_id: conversationId, mode, model });
  void em.emit('message', { delta: `Mode changed to ${mode}`, role: 'system' });
  await em.emit('done', {
    final_text: `Mode changed to ${mode}`, tool_calls_count: 0, tool_rounds: 0, latency_ms: 0, usage: { input_tokens: 0, output_tokens: 0, reasoning_tokens: 0 },
    token_counts: { initial: 0, continuation: 0 }, model_used: model, fallback_used: false, status: 'complete', assistant_message_id: null,
  });
}

type Replay = NonNullable<Awaited<ReturnType<typeof beginTurn>>['replay']>;

/** A retried send: the stored turn again (same message ids), without running the model or any tool. */
async function replayStream(sink: FrameSink, conv: ConversationRow, t: { userMessageId: string; assistantMessageId: string; replay: Replay }, model: string): Promise<void> {
  const runId = newRunId();
  const em = new RunEmitter(runId, sink);
  void em.emit('message_created', { user_message_id: t.userMessageId, assistant_message_id: t.assistantMessageId, conversation_id: conv.id, run_id: runId, replayed: true });
  void em.emit('start', { conversation_id: conv.id, mode: conv.mode, model });
  if (t.replay.content) void em.emit('token', { delta: t.replay.content });
  if (t.replay.status === 'error' && t.replay.error) {
    const e = t.replay.error;
    await em.emit('error', { code: e.code, message: e.message, error: e.message, error_type: 'SERVER_ERROR', retryable: false, assistant_message_id: t.assistantMessageId, partial: t.replay.content !== '' });
    return;
  }
  await em.emit('done', {
    final_text: t.replay.content, tool_calls_count: 0, tool_rounds: 0, latency_ms: 0, usage: { input_tokens: 0, output_tokens: 0, reasoning_tokens: 0 },
    token_counts: { initial: 0, continuation: t.replay.content ? 1 : 0 }, model_used: model, fallback_used: false, status: t.replay.status, assistant_message_id: t.assistantMessageId,
  });
}
