/**
 * One live turn: announce the stored message ids, list the MCP tools, run the loop with the
 * events wired to the SSE sink, save the assistant text as it streams (every `flushMs` and at the
 * end), record each tool call, and close with exactly one `done` or `error`. A client disconnect
 * aborts the model request and pending tools and leaves the message `aborted` with what was said.
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { OwnedPortfolio, Principal } from '../core/services/context.ts';
import { finishAssistant, loadHistory, recordToolCall, saveAssistantText, type BegunTurn, type ConversationRow } from '../core/services/conversations.ts';
import { connectInProcess, type InProcessMcp } from '../mcp-server/in-process.ts';
import { classifyError, TurnTimeoutError } from './errors.ts';
import { newRunId, RunEmitter, type FrameSink } from './events.ts';
import { runLoop, type LoopResult } from './loop.ts';
import type { ToolCallRequest } from './model.ts';
import { renderPrompt, type Mode } from './personas.ts';
import type { AgentRuntime } from './runtime.ts';
import { callTool, loadToolset, type ToolOutcome } from './tools.ts';

export interface LiveTurn {
  rt: AgentRuntime;
  principal: Principal;
  conv: ConversationRow;
  mode: Mode;
  portfolio: OwnedPortfolio;
  userText: string;
  begun: BegunTurn;
}

async function buildMessages(t: LiveTurn): Promise<ChatCompletionMessageParam[]> {
  const { text } = renderPrompt(t.mode, { portfolioName: t.portfolio.name, today: t.rt.deps.clock().toISOString().slice(0, 10) });
  const history = await loadHistory(t.rt.deps, t.conv.id, [t.begun.userMessageId, t.begun.assistantMessageId]);
  return [
    { role: 'system', content: text },
    ...history.map((h): ChatCompletionMessageParam => ({ role: h.role, content: h.toolSummary.length ? `${h.content}\n(tools used for this answer: ${h.toolSummary.join('; ')})` : h.content })),
    { role: 'user', content: t.userText },
  ];
}

function parsedArgs(call: ToolCallRequest): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(call.arguments || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function runLiveTurn(t: LiveTurn, sink: FrameSink, clientSignal: AbortSignal): Promise<void> {
  const { rt, begun } = t;
  const t0 = performance.now();
  const runId = newRunId();
  const em = new RunEmitter(runId, sink);
  const abort = new AbortController();
  const onClientAbort = () => abort.abort(clientSignal.reason);
  clientSignal.addEventListener('abort', onClientAbort, { once: true });
  if (clientSignal.aborted) onClientAbort();
  const hardStop = setTimeout(() => abort.abort(new TurnTimeoutError(`the turn took longer than ${Math.round((rt.limits.turnMs + rt.limits.finalCallMs) / 1000)} s`)), rt.limits.turnMs + rt.limits.finalCallMs);
  let text = '';
  let saved = '';
  const writes: Promise<void>[] = [];
  const flush = setInterval(() => {
    if (text !== saved) {
      saved = text;
      writes.push(saveAssistantText(rt.deps, begun.assistantMessageId, text).catch((err: unknown) => rt.deps.log.warn({ err }, 'saving streamed text failed')));
    }
  }, rt.flushMs);
  em.startHeartbeat(rt.heartbeatMs);
  void em.emit('message_created', { user_message_id: begun.userMessageId, assistant_message_id: begun.assistantMessageId, conversation_id: t.conv.id, run_id: runId, replayed: false });
  void em.emit('start', { conversation_id: t.conv.id, mode: t.mode, model: rt.model.model });
  let mcp: InProcessMcp | null = null;
  let result: LoopResult | null = null;
  let failure: unknown = null;
  try {
    mcp = await connectInProcess({ deps: rt.deps, principal: t.principal, channel: 'agent' });
    const client = mcp.client;
    const toolset = await loadToolset(mcp.client, abort.signal);
    const record = (o: ToolOutcome, round: number) => {
      void em.emit('tool_result', { tool_call_id: o.callId, tool_name: o.name, ok: o.ok, row_count: o.rowCount, truncated: o.truncated, preview: o.preview, duration_ms: o.durationMs, ...(rt.debugToolResults ? { tool_result: o.structured ?? o.error } : {}) });
      writes.push(recordToolCall(rt.deps, begun.assistantMessageId, { tool_call_id: o.callId, name: o.name, arguments: o.args, ok: o.ok, row_count: o.rowCount, truncated: o.truncated, result_bytes: o.resultBytes, duration_ms: o.durationMs, error: o.error, round }).catch((err: unknown) => rt.deps.log.warn({ err }, 'recording a tool call failed')));
    };
    result = await runLoop({
      model: rt.model,
      messages: await buildMessages(t),
      toolset,
      limits: rt.limits,
      signal: abort.signal,
      exec: (call, timeoutMs) => {
        void em.emit('tool_call', { tool_call_id: call.id, tool_name: call.name, tool_args: parsedArgs(call) });
        return callTool(client, call, { portfolioId: t.portfolio.id, bindsPortfolio: toolset.bindsPortfolio, timeoutMs, signal: abort.signal });
      },
      hooks: {
        onText: (delta) => {
          text += delta;
          void em.emit('token', { delta });
        },
        onResponseId: (id) => void em.emit('response_id', { response_id: id, provider: rt.model.provider }),
        onToolResult: record,
        onToolSkipped: (o, round) => {
          void em.emit('tool_call', { tool_call_id: o.callId, tool_name: o.name, tool_args: {} });
          record(o, round);
        },
        onLimit: (limit) => void em.emit('info', { info_type: 'limit_reached', limit, tools_disabled: true }),
      },
    });
  } catch (err) {
    failure = err;
  } finally {
    clearTimeout(hardStop);
    clearInterval(flush);
    clientSignal.removeEventListener('abort', onClientAbort);
    await mcp?.close().catch(() => {});
  }
  await Promise.all(writes);
  try {
    await finishTurn(t, em, { text, result, failure, clientAborted: clientSignal.aborted, latencyMs: Math.round(performance.now() - t0) });
  } catch (err) {
    // The store failed while closing the turn: the stream still ends with its one terminal event.
    rt.deps.log.error({ err, conversationId: t.conv.id }, 'closing the chat turn failed');
    await em.emit('error', { code: 'INTERNAL', message: 'the reply could not be saved', error: 'the reply could not be saved', error_type: 'SERVER_ERROR', retryable: true, assistant_message_id: begun.assistantMessageId, partial: text !== '' });
  } finally {
    em.stopHeartbeat();
    rt.active.delete(t.conv.id);
    await em.flush();
  }
}

interface TurnEnd {
  text: string;
  result: LoopResult | null;
  failure: unknown;
  clientAborted: boolean;
  latencyMs: number;
}

async function finishTurn(t: LiveTurn, em: RunEmitter, end: TurnEnd): Promise<void> {
  const { rt, begun } = t;
  const model = rt.model.model;
  if (end.result) {
    const r = end.result;
    const usage = { ...r.usage };
    await finishAssistant(rt.deps, begun.assistantMessageId, { content: r.text, status: 'complete', model, usage: { ...usage, tool_rounds: r.toolRounds, tool_calls: r.toolCalls, model_calls: r.modelCalls, latency_ms: end.latencyMs } });
    await em.emit('done', {
      final_text: r.text, tool_calls_count: r.toolCalls, tool_rounds: r.toolRounds, latency_ms: end.latencyMs, usage,
      token_counts: { initial: 0, continuation: r.usage.output_tokens }, model_used: model, fallback_used: false, status: 'complete', assistant_message_id: begun.assistantMessageId,
    });
    return;
  }
  if (end.clientAborted) {
    // The client is gone: keep what was said, send nothing.
    await finishAssistant(rt.deps, begun.assistantMessageId, { content: end.text, status: 'aborted', model });
    rt.deps.log.info({ conversationId: t.conv.id, chars: end.text.length }, 'chat turn aborted by the client');
    return;
  }
  const f = classifyError(end.failure);
  if (f.internal) rt.deps.log.error({ err: end.failure, conversationId: t.conv.id }, 'chat turn failed');
  else rt.deps.log.warn({ code: f.code, errorType: f.errorType, conversationId: t.conv.id }, f.message);
  await finishAssistant(rt.deps, begun.assistantMessageId, { content: end.text, status: 'error', model, error: { code: f.code, message: f.message } });
  await em.emit('error', { code: f.code, message: f.message, error: f.message, error_type: f.errorType, retryable: f.retryable, assistant_message_id: begun.assistantMessageId, partial: end.text !== '' });
}
