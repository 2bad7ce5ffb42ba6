/**
 * The model side of the loop: one streamed Chat Completions request per round. `ChatModel` is
 * what the loop talks to; `OpenAiChatModel` drives any OpenAI-compatible server (OpenAI, Ollama,
 * vLLM, LM Studio) through the `openai` package, and the offline responder implements the same
 * interface without a language model. Text deltas are forwarded as they arrive; tool-call deltas
 * are accumulated per index and returned whole at the end of the round.
 */
import OpenAI from 'openai';
import type { ChatCompletionFunctionTool, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { TokenUsage } from './events.ts';

export interface ToolCallRequest {
  /** The provider's `call_id`, used as `tool_call_id` everywhere. */
  id: string;
  name: string;
  /** JSON text of the arguments, as streamed. */
  arguments: string;
}

export interface ModelRequest {
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionFunctionTool[];
  /** `none` for the last, tool-less call after a limit was hit. */
  toolChoice: 'auto' | 'none';
  signal: AbortSignal;
  /** False once text reached the client: a failed request is then never retried. */
  allowRetry: boolean;
  onText: (delta: string) => void;
  onResponseId?: (id: string) => void;
}

export interface ModelRound {
  text: string;
  toolCalls: ToolCallRequest[];
  usage: TokenUsage | null;
  finishReason: string | null;
}

export interface ChatModel {
  readonly provider: 'openai' | 'offline';
  readonly model: string;
  complete(req: ModelRequest): Promise<ModelRound>;
}

export interface OpenAiModelOptions {
  model: string;
  apiKey?: string | undefined;
  baseURL?: string | undefined;
  /** Retries of a request that failed before any token was streamed (the SDK's back-off). */
  maxRetries: number;
  /** Per-request timeout, ms. */
  timeoutMs: number;
  maxOutputTokens: number;
  fetch?: typeof fetch;
}

/** Raised when a stream ends without a finish reason (connection cut or server fault). */
export class IncompleteStreamError extends Error {
  override readonly name = 'IncompleteStreamError';
}

export class OpenAiChatModel implements ChatModel {
  readonly provider = 'openai' as const;
  readonly model: string;
  private readonly client: OpenAI;

  constructor(private readonly opts: OpenAiModelOptions) {
    this.model = opts.model;
    this.client = new OpenAI({
      // Local servers (Ollama, vLLM) take any key; the SDK needs a non-empty one.
      apiKey: opts.apiKey ?? 'local-no-key',
      baseURL: opts.baseURL ?? null,
      maxRetries: opts.maxRetries,
      timeout: opts.timeoutMs,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
  }

  async complete(req: ModelRequest): Promise<ModelRound> {
    const withTools = req.tools.length > 0;
    const stream = await this.client.chat.completions.create(
      {
        model: this.model,
        messages: req.messages,
        stream: true,
        stream_options: { include_usage: true },
        max_completion_tokens: this.opts.maxOutputTokens,
        ...(withTools ? { tools: req.tools, tool_choice: req.toolChoice } : {}),
        ...(withTools && req.toolChoice === 'auto' ? { parallel_tool_calls: true } : {}),
      },
      { signal: req.signal, maxRetries: req.allowRetry ? this.opts.maxRetries : 0 },
    );
    try {
      return await readStream(stream, req);
    } catch (err) {
      // A cut connection surfaces as a fetch error, not an APIError: report it as a broken stream.
      if (req.signal.aborted || err instanceof OpenAI.APIError || err instanceof IncompleteStreamError) throw err;
      throw new IncompleteStreamError(`the model stream broke: ${(err as Error).message}`, { cause: err });
    }
  }
}

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;

async function readStream(stream: AsyncIterable<Chunk>, req: ModelRequest): Promise<ModelRound> {
  let text = '';
  let usage: TokenUsage | null = null;
  let finishReason: string | null = null;
  let announced = false;
  const calls = new Map<number, ToolCallRequest>();
  for await (const chunk of stream) {
    if (!announced && chunk.id) {
      announced = true;
      req.onResponseId?.(chunk.id);
    }
    if (chunk.usage) usage = toUsage(chunk.usage);
    const choice = chunk.choices[0];
    if (!choice) continue;
    const delta = choice.delta;
    if (delta?.content) {
      text += delta.content;
      req.onText(delta.content);
    }
    for (const tc of delta?.tool_calls ?? []) {
      const acc = calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
      if (tc.id) acc.id = tc.id;
      if (tc.function?.name) acc.name += tc.function.name;
      if (tc.function?.arguments) acc.arguments += tc.function.arguments;
      calls.set(tc.index, acc);
    }
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }
  if (finishReason === null) throw new IncompleteStreamError('the model stream ended before it finished');
  const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([i, c]) => ({ ...c, id: c.id || `call_${i}` }));
  return { text, toolCalls, usage, finishReason };
}

function toUsage(u: OpenAI.Completions.CompletionUsage): TokenUsage {
  return {
    input_tokens: u.prompt_tokens ?? 0,
    output_tokens: u.completion_tokens ?? 0,
    reasoning_tokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}
