/**
 * The offline responder: a `ChatModel` without a language model, used when neither
 * OPENAI_API_KEY nor OPENAI_BASE_URL is set. On the first call of a turn it routes the question
 * to MCP tools (returned as tool calls, so the same loop runs them, emits the same events and
 * stores the same records); on the next call it writes a templated answer from their results.
 * It says it has no language model in the first answer of a conversation. A book change ("add
 * 10 AAPL at 190") is proposed as its write tool call, which the loop holds for the user's
 * approval; once decided, the next call confirms the result or says the user declined. A request for
 * investment advice, or a question it does not understand, gets a plain decline that lists what
 * it can answer, without calling any tool.
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ChatModel, ModelRequest, ModelRound } from '../model.ts';
import { answerFor, noAdvice, notUnderstood, OFFLINE_NOTICE, toolMissing, type ToolReply } from './answer.ts';
import { batchStatusStep, knownJobId } from './batch-status.ts';
import { capabilities, classifyQuestion } from './router.ts';
import { parseTrade, tradeStep } from './trade.ts';
import { readFenced } from '../untrusted.ts';

export const OFFLINE_MODEL = 'sigmasight-offline';

function textOf(m: ChatCompletionMessageParam): string {
  if (typeof m.content === 'string') return m.content;
  return (m.content ?? []).map((p) => ('text' in p ? p.text : '')).join('');
}

/** A tool message as the loop wrote it (a fenced block of JSON) back into a reply. */
function parseReply(name: string, content: string): ToolReply {
  try {
    const v = JSON.parse(readFenced(content)?.content ?? content) as { ok: boolean; summary?: string; data?: Record<string, unknown>; error?: string };
    return { name, ok: v.ok, summary: v.summary ?? '', data: v.data ?? null, error: v.error ?? null };
  } catch {
    return { name, ok: false, summary: '', data: null, error: 'the tool result could not be read' };
  }
}

/** Splits the answer into word groups so it streams like a model's tokens. */
function* chunks(text: string): Generator<string> {
  const parts = text.split(/(?<=\s)/);
  for (let i = 0; i < parts.length; i += 4) yield parts.slice(i, i + 4).join('');
}

export class OfflineChatModel implements ChatModel {
  readonly provider = 'offline' as const;
  readonly model = OFFLINE_MODEL;

  async complete(req: ModelRequest): Promise<ModelRound> {
    if (req.signal.aborted) throw req.signal.reason;
    req.onResponseId?.(`offline_${crypto.randomUUID().slice(0, 12)}`);
    const lastUser = req.messages.findLastIndex((m) => m.role === 'user');
    const question = lastUser >= 0 ? textOf(req.messages[lastUser]!) : '';
    const firstAnswer = !req.messages.slice(0, lastUser).some((m) => m.role === 'assistant');
    const after = req.messages.slice(lastUser + 1);
    const offered = new Set(req.tools.map((t) => t.function.name));
    const classified = classifyQuestion(question);
    if ('decline' in classified) {
      // Declines list only what this server can answer (intents whose tools it offers).
      const caps = capabilities(offered);
      return this.say(req, firstAnswer, classified.decline === 'advice' ? noAdvice(caps) : notUnderstood(question, caps));
    }
    const { route } = classified;
    const names = new Map<string, string>();
    for (const m of after) if (m.role === 'assistant') for (const c of m.tool_calls ?? []) if (c.type === 'function') names.set(c.id, c.function.name);
    const replies = after.filter((m) => m.role === 'tool').map((m) => parseReply(names.get(m.tool_call_id) ?? 'tool', textOf(m)));

    const trade = route.intent === 'trade' ? parseTrade(question) : null;
    if (trade) {
      const step = tradeStep(trade, replies);
      if ('say' in step) return this.say(req, firstAnswer, step.say);
      const missing = step.calls.map((c) => c.name).filter((n) => !offered.has(n));
      if (missing.length) return this.say(req, firstAnswer, toolMissing(missing));
      if (req.toolChoice !== 'auto') return this.say(req, firstAnswer, 'I could not finish that change within the limits of this turn; nothing more was changed.');
      return { text: '', toolCalls: step.calls, usage: null, finishReason: 'tool_calls' };
    }
    if (route.intent === 'batch_status' && req.toolChoice === 'auto') {
      const earlier = req.messages.slice(0, lastUser).filter((m) => m.role === 'assistant' || m.role === 'user').map(textOf);
      const step = batchStatusStep(knownJobId(question, earlier), replies);
      if ('calls' in step) return { text: '', toolCalls: step.calls, usage: null, finishReason: 'tool_calls' };
      if ('say' in step) return this.say(req, firstAnswer, step.say);
      return this.say(req, firstAnswer, step.answerFrom.map((r) => answerFor(route.intent, r)).join('\n\n'));
    }
    if (replies.length === 0 && req.toolChoice === 'auto') {
      const available = route.tools.filter((t) => offered.has(t));
      if (available.length === route.tools.length) {
        return { text: '', toolCalls: available.map((name, i) => ({ id: `call_offline_${i}_${crypto.randomUUID().slice(0, 8)}`, name, arguments: '{}' })), usage: null, finishReason: 'tool_calls' };
      }
      return this.say(req, firstAnswer, toolMissing(route.tools.filter((t) => !offered.has(t))));
    }
    const body = replies.map((r) => answerFor(route.intent, r)).join('\n\n') || toolMissing(route.tools);
    return this.say(req, firstAnswer, body);
  }

  private say(req: ModelRequest, firstAnswer: boolean, body: string): ModelRound {
    const text = firstAnswer ? `${OFFLINE_NOTICE}\n\n${body}` : body;
    for (const c of chunks(text)) req.onText(c);
    return { text, toolCalls: [], usage: null, finishReason: 'stop' };
  }
}
