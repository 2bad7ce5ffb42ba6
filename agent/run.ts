/**
 * One live turn: announce the stored message ids, list the MCP tools, run the loop with the
 * events wired to the SSE sink, save the assistant text and the finished tool calls as the turn
 * goes (every `flushMs`, and whatever is left before the terminal event, in one ordered chain of
 * writes off the streaming path), and close with exactly one `done` or `error`. A client disconnect
 * aborts the model request and pending tools and leaves the message `aborted` with what was said.
 * A write the model calls is proposed for approval instead of run (`approval-flow.ts`); a turn
 * resumed after the decision carries it out first and continues from where it stopped.
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { loadHistory, recordToolCalls, saveAssistantText, type ToolCallInput } from '../core/services/conversations.ts';
import { connectInProcess, type InProcessMcp } from '../mcp-server/in-process.ts';
import { TurnTimeoutError } from './errors.ts';
import { finishTurn } from './finish.ts';
import { newRunId, RunEmitter, type FrameSink } from './events.ts';
import type { LiveTurn, ResumedTurn } from './live-turn.ts';
import { runLoop, type LoopHooks, type LoopResult } from './loop.ts';
import type { ToolCallRequest } from './model.ts';
import { renderPrompt } from './personas.ts';
import { callTool, loadToolset, type ToolOutcome, type Toolset } from './tools.ts';
import { applyDecision, proposeChange } from './approval-flow.ts';

/** System prompt, recent history (with a note of the tools each answer used), the new message. */
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

/**
 * The mutable state of a running turn: streamed text, tool calls not yet stored, timers. Writes
 * form one chain, so they land in order and never overlap; a tool round only queues its rows, and
 * the next flush (the timer, or `settle` at the end of the turn) stores them in one statement.
 */
class TurnState {
  text = '';
  private saved = '';
  private pendingCalls: ToolCallInput[] = [];
  private writes: Promise<void> = Promise.resolve();
  readonly abort = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly t: LiveTurn, readonly em: RunEmitter, private readonly clientSignal: AbortSignal) {
    const { rt } = t;
    clientSignal.addEventListener('abort', this.onClientAbort, { once: true });
    if (clientSignal.aborted) this.onClientAbort();
    const budgetMs = rt.limits.turnMs + rt.limits.finalCallMs;
    this.timers.push(setTimeout(() => this.abort.abort(new TurnTimeoutError(`the turn took longer than ${Math.round(budgetMs / 1000)} s`)), budgetMs));
    this.timers.push(setInterval(() => this.flush(true), rt.flushMs));
    em.startHeartbeat(rt.heartbeatMs);
  }

  private readonly onClientAbort = () => this.abort.abort(this.clientSignal.reason);

  /** Queues a finished tool call for the next flush. */
  recordCall(row: ToolCallInput): void {
    this.pendingCalls.push(row);
  }

  /** Chains the writes due now: pending tool calls, and the streamed text when `withText` and it changed. */
  private flush(withText: boolean): void {
    const { deps } = this.t.rt;
    const messageId = this.t.begun.assistantMessageId;
    if (this.pendingCalls.length > 0) {
      const calls = this.pendingCalls;
      this.pendingCalls = [];
      this.chain(() => recordToolCalls(deps, messageId, calls), 'recording tool calls failed');
    }
    if (withText && this.text !== this.saved) {
      const text = (this.saved = this.text);
      this.chain(() => saveAssistantText(deps, messageId, text), 'saving streamed text failed');
    }
  }

  private chain(write: () => Promise<void>, what: string): void {
    this.writes = this.writes.then(write).catch((err: unknown) => this.t.rt.deps.log.warn({ err }, what));
  }

  /** Stops the timers, stores the tool calls still pending and waits for every write. */
  async settle(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.clientSignal.removeEventListener('abort', this.onClientAbort);
    this.flush(false);
    await this.writes;
  }
}

function hooksFor(t: LiveTurn, s: TurnState): LoopHooks {
  const { rt } = t;
  const record = (o: ToolOutcome, round: number) => {
    // A call cut short by a disconnect or the turn deadline is stored, but nothing more is sent.
    if (!s.abort.signal.aborted) void s.em.emit('tool_result', { tool_call_id: o.callId, tool_name: o.name, ok: o.ok, row_count: o.rowCount, truncated: o.truncated, preview: o.preview, duration_ms: o.durationMs, ...(rt.debugToolResults ? { tool_result: o.structured ?? o.error } : {}) });
    s.recordCall({ tool_call_id: o.callId, name: o.name, arguments: o.args, ok: o.ok, row_count: o.rowCount, truncated: o.truncated, result_bytes: o.resultBytes, duration_ms: o.durationMs, error: o.error, round });
  };
  return {
    onText: (delta) => {
      s.text += delta;
      void s.em.emit('token', { delta });
    },
    onResponseId: (id) => void s.em.emit('response_id', { response_id: id, provider: rt.model.provider }),
    onToolResult: record,
    onToolSkipped: (o, round) => {
      void s.em.emit('tool_call', { tool_call_id: o.callId, tool_name: o.name, tool_args: {} });
      record(o, round);
    },
    onLimit: (limit) => void s.em.emit('info', { info_type: 'limit_reached', limit, tools_disabled: true }),
  };
}

/** The runtime's shared tool list, listed through this turn's client the first time. */
function toolsetOf(t: LiveTurn, mcp: InProcessMcp): Promise<Toolset> {
  const cache = t.rt.toolset;
  cache.current ??= loadToolset(mcp.client).catch((err: unknown) => {
    cache.current = null;
    throw err;
  });
  return cache.current;
}

async function execute(t: LiveTurn, s: TurnState, mcp: InProcessMcp): Promise<LoopResult> {
  const toolset = await toolsetOf(t, mcp);
  // A resumed turn first carries out the user's decision, then continues from the stored messages.
  const resumed = t.resume ? await applyDecision({ t: t as LiveTurn & { resume: ResumedTurn }, em: s.em, mcp, toolset, record: (row) => s.recordCall(row), debug: t.rt.debugToolResults }) : null;
  return runLoop({
    model: t.rt.model,
    messages: resumed?.messages ?? (await buildMessages(t)),
    ...(resumed ? { start: resumed.start } : {}),
    toolset,
    limits: t.rt.limits,
    signal: s.abort.signal,
    exec: (call, timeoutMs) => {
      void s.em.emit('tool_call', { tool_call_id: call.id, tool_name: call.name, tool_args: parsedArgs(call) });
      return callTool(mcp.client, call, { portfolioId: t.portfolio.id, toolset, timeoutMs, signal: s.abort.signal });
    },
    propose: (call, at) => proposeChange({ t, em: s.em, toolset }, call, at, parsedArgs(call)),
    hooks: hooksFor(t, s),
  });
}

export async function runLiveTurn(t: LiveTurn, sink: FrameSink, clientSignal: AbortSignal): Promise<void> {
  const t0 = performance.now();
  const runId = newRunId();
  const s = new TurnState(t, new RunEmitter(runId, sink), clientSignal);
  const { begun } = t;
  void s.em.emit('message_created', { user_message_id: begun.userMessageId, assistant_message_id: begun.assistantMessageId, conversation_id: t.conv.id, run_id: runId, replayed: false });
  void s.em.emit('start', { conversation_id: t.conv.id, mode: t.mode, model: t.rt.model.model });
  // Let the server put the headers and first frames on the wire before the CPU-bound setup.
  await s.em.flush();
  await new Promise<void>((resolve) => setImmediate(resolve));
  let mcp: InProcessMcp | null = null;
  let result: LoopResult | null = null;
  let failure: unknown = null;
  try {
    mcp = await connectInProcess({ deps: t.rt.deps, principal: t.principal, channel: 'agent', ...(t.rt.batch ? { batch: t.rt.batch } : {}) });
    result = await execute(t, s, mcp);
  } catch (err) {
    failure = err;
  } finally {
    await mcp?.close().catch(() => {});
    await s.settle();
  }
  try {
    await finishTurn(t, s.em, { text: s.text, result, failure, clientAborted: clientSignal.aborted, latencyMs: Math.round(performance.now() - t0) });
  } finally {
    s.em.stopHeartbeat();
    t.rt.active.delete(t.conv.id);
    await s.em.flush();
  }
}
