/**
 * The tool loop (spec agent.md 6.4): call the model; when it asks for tools, run them
 * concurrently, append the assistant's tool calls and every output (keyed by the provider's
 * call id) and call again; stop at the first answer without tool calls. Limits: `maxRounds` tool
 * rounds, `maxToolCalls` calls per turn and a turn deadline; when one is hit the next call is made
 * with tools disabled so the user always gets text. A failed model request is retried (by the
 * SDK) only while no text has reached the client; tools are never re-run. Every tool output is
 * handed to the model fenced and labelled as data (`untrusted.ts`), never as instructions.
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { TokenUsage } from './events.ts';
import type { ChatModel, ToolCallRequest } from './model.ts';
import type { ToolOutcome, Toolset } from './tools.ts';
import { fenceToolResult } from './untrusted.ts';

export interface TurnLimits {
  maxRounds: number;
  maxToolCalls: number;
  /** Budget for the tool rounds, ms; the last tool-less call may run past it by `finalCallMs`. */
  turnMs: number;
  finalCallMs: number;
  toolTimeoutMs: number;
}

export const DEFAULT_LIMITS: TurnLimits = { maxRounds: 5, maxToolCalls: 10, turnMs: 90_000, finalCallMs: 30_000, toolTimeoutMs: 10_000 };

export type LimitKind = 'rounds' | 'tool_calls' | 'time';

export interface LoopHooks {
  onText(delta: string): void;
  onResponseId(id: string): void;
  /** After a call ran (the `exec` function announces it before running). */
  onToolResult(outcome: ToolOutcome, round: number): void;
  /** A call refused because the turn's tool-call budget is spent. */
  onToolSkipped(outcome: ToolOutcome, round: number): void;
  onLimit(kind: LimitKind): void;
}

export interface LoopInput {
  model: ChatModel;
  messages: ChatCompletionMessageParam[];
  toolset: Toolset;
  /** Announces and runs one tool call; a call cut short by the abort still resolves with its outcome. */
  exec: (call: ToolCallRequest, timeoutMs: number) => Promise<ToolOutcome>;
  limits: TurnLimits;
  signal: AbortSignal;
  hooks: LoopHooks;
  now?: () => number;
}

export interface LoopResult {
  text: string;
  toolRounds: number;
  toolCalls: number;
  modelCalls: number;
  usage: TokenUsage;
  limit: LimitKind | null;
}

export const EMPTY_ANSWER = 'I could not put together an answer within the limits of this turn. Please ask again, perhaps more narrowly.';

/** Runs one user turn to its final text. Throws the model's error, or the abort reason. */
export async function runLoop(input: LoopInput): Promise<LoopResult> {
  const now = input.now ?? performance.now.bind(performance);
  const deadline = now() + input.limits.turnMs;
  const messages = [...input.messages];
  const state: LoopResult = { text: '', toolRounds: 0, toolCalls: 0, modelCalls: 0, usage: { input_tokens: 0, output_tokens: 0, reasoning_tokens: 0 }, limit: null };
  for (;;) {
    const toolsOn = state.limit === null;
    let separate = state.text.length > 0 && !/\s$/.test(state.text);
    const round = await input.model.complete({
      messages,
      tools: input.toolset.functions,
      toolChoice: toolsOn ? 'auto' : 'none',
      signal: input.signal,
      allowRetry: state.text.length === 0,
      onResponseId: (id) => state.modelCalls === 0 && input.hooks.onResponseId(id),
      onText: (delta) => {
        const d = separate ? `\n\n${delta}` : delta;
        separate = false;
        state.text += d;
        input.hooks.onText(d);
      },
    });
    state.modelCalls++;
    addUsage(state.usage, round.usage);
    if (!toolsOn || round.toolCalls.length === 0) break;
    state.toolRounds++;
    messages.push({ role: 'assistant', content: round.text || null, tool_calls: round.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments || '{}' } })) });
    const outcomes = await runRound(input, round.toolCalls, state, Math.max(1, Math.min(input.limits.toolTimeoutMs, deadline - now())));
    // The one place tool output enters the conversation: always as a fenced, labelled data block.
    for (const o of outcomes) messages.push({ role: 'tool', tool_call_id: o.callId, content: fenceToolResult(o.name, o.modelContent) });
    state.limit = state.toolRounds >= input.limits.maxRounds ? 'rounds' : state.toolCalls >= input.limits.maxToolCalls ? 'tool_calls' : now() >= deadline ? 'time' : null;
    if (state.limit) input.hooks.onLimit(state.limit);
  }
  if (state.text.trim() === '') {
    state.text = EMPTY_ANSWER;
    input.hooks.onText(EMPTY_ANSWER);
  }
  return state;
}

/** One tool round: calls within the turn's budget run concurrently; the rest get a budget error. */
async function runRound(input: LoopInput, calls: ToolCallRequest[], state: LoopResult, timeoutMs: number): Promise<ToolOutcome[]> {
  const budget = Math.max(0, input.limits.maxToolCalls - state.toolCalls);
  const run = calls.slice(0, budget);
  const settled = await Promise.allSettled(
    run.map(async (call) => {
      const outcome = await input.exec(call, timeoutMs);
      input.hooks.onToolResult(outcome, state.toolRounds);
      return outcome;
    }),
  );
  state.toolCalls += run.length;
  if (input.signal.aborted) throw input.signal.reason;
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  const outcomes = settled.map((s) => (s as PromiseFulfilledResult<ToolOutcome>).value);
  const skippedText = `TOOL_BUDGET_EXCEEDED: not run, this turn's budget of ${input.limits.maxToolCalls} tool calls is spent. Hint: answer with the results you have.`;
  for (const call of calls.slice(budget)) {
    const modelContent = JSON.stringify({ ok: false, error: skippedText });
    const skipped: ToolOutcome = { callId: call.id, name: call.name, args: {}, ok: false, rowCount: 0, truncated: false, preview: skippedText, durationMs: 0, resultBytes: modelContent.length, modelContent, structured: null, error: skippedText };
    input.hooks.onToolSkipped(skipped, state.toolRounds);
    outcomes.push(skipped);
  }
  return outcomes;
}

function addUsage(total: TokenUsage, u: TokenUsage | null): void {
  if (!u) return;
  total.input_tokens += u.input_tokens;
  total.output_tokens += u.output_tokens;
  total.reasoning_tokens += u.reasoning_tokens;
}
