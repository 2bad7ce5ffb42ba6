/**
 * The tool loop (spec agent.md 6.4): call the model; when it asks for tools, run them
 * concurrently, append the assistant's tool calls and every output (keyed by the provider's
 * call id) and call again; stop at the first answer without tool calls. Limits: `maxRounds` tool
 * rounds, `maxToolCalls` calls per turn and a turn deadline; when one is hit the next call is made
 * with tools disabled so the user always gets text. A failed model request is retried (by the
 * SDK) only while no text has reached the client; tools are never re-run. Every tool output is
 * handed to the model fenced and labelled as data (`untrusted.ts`), never as instructions.
 *
 * A call of a tool that changes data (`toolset.requiresApproval`) is never executed here: it goes
 * to `propose`, which either refuses it (the refusal is the call's output, and the loop goes on)
 * or stores it for the user's decision, and the turn ends waiting (`pending`). One change waits
 * at a time; further write calls of that round are answered "not run". A resumed turn starts
 * from the stored messages with the decision appended (`start`).
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

/** Where a turn stands when a change is proposed: what resuming it needs. */
export interface ResumePoint {
  /** Everything the model was given and answered so far, with the outputs of the round's other calls. */
  messages: ChatCompletionMessageParam[];
  toolRounds: number;
  toolCalls: number;
}

export interface PendingApproval {
  approvalId: string;
  callId: string;
  name: string;
  /** What the assistant says while it waits (the change and how to decide). */
  text: string;
}

export type Proposal = { pending: PendingApproval } | { refused: ToolOutcome };

export interface LoopInput {
  model: ChatModel;
  messages: ChatCompletionMessageParam[];
  toolset: Toolset;
  /** Announces and runs one tool call; a call cut short by the abort still resolves with its outcome. */
  exec: (call: ToolCallRequest, timeoutMs: number) => Promise<ToolOutcome>;
  limits: TurnLimits;
  signal: AbortSignal;
  hooks: LoopHooks;
  /** Stores a write call for approval (or refuses it); without it every write call is refused. */
  propose?: (call: ToolCallRequest, at: ResumePoint) => Promise<Proposal>;
  /** Counters of the turn being resumed (its messages are `messages`). */
  start?: { toolRounds: number; toolCalls: number };
  now?: () => number;
}

export interface LoopResult {
  text: string;
  toolRounds: number;
  toolCalls: number;
  modelCalls: number;
  usage: TokenUsage;
  limit: LimitKind | null;
  /** Set when the turn ended at a proposed change awaiting the user's decision. */
  pending: PendingApproval | null;
}

export const EMPTY_ANSWER = 'I could not put together an answer within the limits of this turn. Please ask again, perhaps more narrowly.';

/** Runs one user turn to its final text. Throws the model's error, or the abort reason. */
export async function runLoop(input: LoopInput): Promise<LoopResult> {
  const now = input.now ?? performance.now.bind(performance);
  const deadline = now() + input.limits.turnMs;
  const messages = [...input.messages];
  const state: LoopResult = { text: '', toolRounds: input.start?.toolRounds ?? 0, toolCalls: input.start?.toolCalls ?? 0, modelCalls: 0, usage: { input_tokens: 0, output_tokens: 0, reasoning_tokens: 0 }, limit: null, pending: null };
  state.limit = limitOf(input, state, now() >= deadline);
  if (state.limit) input.hooks.onLimit(state.limit);
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
    const gated = round.toolCalls.filter((c) => input.toolset.requiresApproval.has(c.name));
    const plain = round.toolCalls.filter((c) => !input.toolset.requiresApproval.has(c.name));
    const outcomes = plain.length ? await runRound(input, plain, state, Math.max(1, Math.min(input.limits.toolTimeoutMs, deadline - now()))) : [];
    const [first, ...more] = gated;
    for (const call of more) outcomes.push(refuse(input, state, call, `NOT_RUN: one change at a time; ${first!.name} was proposed to the user first. Hint: propose this change again after the user decided on that one.`));
    addOutputs(messages, outcomes);
    if (first) {
      const pending = await proposeOne(input, state, messages, first);
      if (pending) {
        state.pending = pending;
        const text = state.text.length > 0 && !/\s$/.test(state.text) ? `\n\n${pending.text}` : pending.text;
        state.text += text;
        input.hooks.onText(text);
        return state;
      }
    }
    state.limit = limitOf(input, state, now() >= deadline);
    if (state.limit) input.hooks.onLimit(state.limit);
  }
  if (state.text.trim() === '') {
    state.text = EMPTY_ANSWER;
    input.hooks.onText(EMPTY_ANSWER);
  }
  return state;
}

function limitOf(input: LoopInput, state: LoopResult, late: boolean): LimitKind | null {
  return state.toolRounds >= input.limits.maxRounds ? 'rounds' : state.toolCalls >= input.limits.maxToolCalls ? 'tool_calls' : late ? 'time' : null;
}

/** How tool output enters the conversation: always as a fenced, labelled data block. */
export function toolMessage(o: Pick<ToolOutcome, 'callId' | 'name' | 'modelContent'>): ChatCompletionMessageParam {
  return { role: 'tool', tool_call_id: o.callId, content: fenceToolResult(o.name, o.modelContent) };
}

function addOutputs(messages: ChatCompletionMessageParam[], outcomes: ToolOutcome[]): void {
  for (const o of outcomes) messages.push(toolMessage(o));
}

/** A call answered without running it. */
function refuse(input: LoopInput, state: LoopResult, call: ToolCallRequest, error: string): ToolOutcome {
  const modelContent = JSON.stringify({ ok: false, error });
  const outcome: ToolOutcome = { callId: call.id, name: call.name, args: {}, ok: false, rowCount: 0, truncated: false, preview: error.slice(0, 280), durationMs: 0, resultBytes: modelContent.length, modelContent, structured: null, error };
  input.hooks.onToolSkipped(outcome, state.toolRounds);
  return outcome;
}

/** Hands one write call to `propose`: the pending approval, or null after its refusal was added to the messages. */
async function proposeOne(input: LoopInput, state: LoopResult, messages: ChatCompletionMessageParam[], call: ToolCallRequest): Promise<PendingApproval | null> {
  if (!input.propose || state.toolCalls >= input.limits.maxToolCalls) {
    const why = input.propose ? `TOOL_BUDGET_EXCEEDED: not proposed, this turn's budget of ${input.limits.maxToolCalls} tool calls is spent. Hint: answer with the results you have.` : `APPROVAL_REQUIRED: ${call.name} changes the book and cannot run here.`;
    addOutputs(messages, [refuse(input, state, call, why)]);
    return null;
  }
  state.toolCalls++;
  const r = await input.propose(call, { messages: [...messages], toolRounds: state.toolRounds, toolCalls: state.toolCalls });
  if ('pending' in r) return r.pending;
  input.hooks.onToolResult(r.refused, state.toolRounds);
  addOutputs(messages, [r.refused]);
  return null;
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
