/**
 * Closing a turn: store the assistant message with its final status and send the run's one
 * terminal event. Complete → `done`; client gone → `aborted`, no event; failure → `error` with the
 * partial text kept. If the store itself fails, the stream still ends with one `error`.
 */
import { finishAssistant } from '../core/services/conversations.ts';
import { classifyError } from './errors.ts';
import type { RunEmitter } from './events.ts';
import type { LiveTurn } from './live-turn.ts';
import type { LoopResult } from './loop.ts';
import { persona } from './personas.ts';

export interface TurnEnd {
  text: string;
  result: LoopResult | null;
  failure: unknown;
  clientAborted: boolean;
  latencyMs: number;
}

export async function finishTurn(t: LiveTurn, em: RunEmitter, end: TurnEnd): Promise<void> {
  try {
    await closeTurn(t, em, end);
  } catch (err) {
    t.rt.deps.log.error({ err, conversationId: t.conv.id }, 'closing the chat turn failed');
    const message = 'the reply could not be saved';
    await em.emit('error', { code: 'INTERNAL', message, error: message, error_type: 'SERVER_ERROR', retryable: true, assistant_message_id: t.begun.assistantMessageId, partial: end.text !== '' });
  }
}

async function closeTurn(t: LiveTurn, em: RunEmitter, end: TurnEnd): Promise<void> {
  const { rt, begun } = t;
  const model = rt.model.model;
  const id = begun.assistantMessageId;
  if (end.result) {
    const r = end.result;
    // A turn that stopped at a proposed change is a complete message that says it waits for approval.
    await finishAssistant(rt.deps, id, { content: r.text, status: 'complete', model, usage: { ...r.usage, tool_rounds: r.toolRounds, tool_calls: r.toolCalls, model_calls: r.modelCalls, latency_ms: end.latencyMs } });
    const promptVersion = `${t.mode}.${persona(t.mode).version}`;
    rt.deps.log.info({ conversationId: t.conv.id, messageId: id, model, promptVersion, toolRounds: r.toolRounds, toolCalls: r.toolCalls, ms: end.latencyMs, approvalId: r.pending?.approvalId, ...r.usage }, r.pending ? 'chat turn awaiting approval' : 'chat turn complete');
    await em.emit('done', {
      final_text: r.text, tool_calls_count: r.toolCalls, tool_rounds: r.toolRounds, latency_ms: end.latencyMs, usage: { ...r.usage },
      token_counts: { initial: 0, continuation: r.usage.output_tokens }, model_used: model, fallback_used: false,
      status: r.pending ? 'awaiting_approval' : 'complete', assistant_message_id: id, ...(r.pending ? { approval_id: r.pending.approvalId } : {}),
    });
    return;
  }
  if (end.clientAborted) {
    await finishAssistant(rt.deps, id, { content: end.text, status: 'aborted', model });
    rt.deps.log.info({ conversationId: t.conv.id, chars: end.text.length }, 'chat turn aborted by the client');
    return;
  }
  const f = classifyError(end.failure);
  if (f.internal) rt.deps.log.error({ err: end.failure, conversationId: t.conv.id }, 'chat turn failed');
  else rt.deps.log.warn({ code: f.code, errorType: f.errorType, conversationId: t.conv.id }, f.message);
  await finishAssistant(rt.deps, id, { content: end.text, status: 'error', model, error: { code: f.code, message: f.message } });
  await em.emit('error', { code: f.code, message: f.message, error: f.message, error_type: f.errorType, retryable: f.retryable, assistant_message_id: id, partial: end.text !== '' });
}
