/**
 * The SSE event contract of a chat run (spec agent.md 7.3 with the 7.9 rules). Every event of a
 * run carries a `seq` that strictly increases (heartbeats, info, error and done included) and is
 * also written as the SSE `id`. A run ends with exactly one terminal event, `done` or `error`;
 * anything emitted after it is dropped. Writes are chained so a timer heartbeat never interleaves
 * with another frame.
 */

/** Terminal error types a client may see (7.9). */
export type ErrorType = 'RATE_LIMITED' | 'AUTH_EXPIRED' | 'LLM_UNAVAILABLE' | 'LLM_ERROR' | 'TOOL_BUDGET_EXCEEDED' | 'TIMEOUT' | 'SERVER_ERROR';

export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
}

export interface ToolResultData {
  tool_call_id: string;
  tool_name: string;
  ok: boolean;
  row_count: number;
  truncated: boolean;
  /** At most PREVIEW_CHARS characters: the tool's one-line summary or its error text. */
  preview: string;
  duration_ms: number;
  /** The full structured result, only when the run was started with the debug flag. */
  tool_result?: unknown;
}

export interface ApprovalRequiredData {
  approval_id: string;
  tool_call_id: string;
  tool_name: string;
  /** The exact arguments the tool runs with on approval (portfolio_id bound by the server). */
  arguments: Record<string, unknown>;
  /** The change in plain words. */
  summary: string;
  expires_at: string;
  /** Where the decision goes: POST `{ "decision": "approve" | "reject" }`. */
  decide_url: string;
}

/** `data` payload per event name. `message_created` and the `/mode` `message` are flat payloads. */
export interface EventData {
  message_created: { user_message_id: string; assistant_message_id: string; conversation_id: string; run_id: string; replayed: boolean };
  start: { conversation_id: string; mode: string; model: string };
  response_id: { response_id: string; provider: string };
  token: { delta: string };
  tool_call: { tool_call_id: string; tool_name: string; tool_args: Record<string, unknown> };
  tool_result: ToolResultData;
  /** A write the model proposed: not run; the turn ends waiting for the user's decision. */
  approval_required: ApprovalRequiredData;
  heartbeat: Record<string, never>;
  info: { info_type: string; [k: string]: unknown };
  message: { delta: string; role: 'system' };
  error: {
    code: string;
    message: string;
    error: string;
    error_type: ErrorType;
    retryable: boolean;
    assistant_message_id: string | null;
    partial: boolean;
  };
  done: {
    final_text: string;
    tool_calls_count: number;
    tool_rounds: number;
    latency_ms: number;
    usage: TokenUsage;
    token_counts: { initial: number; continuation: number };
    model_used: string;
    fallback_used: boolean;
    /** `awaiting_approval`: the turn stopped at a proposed change (see `approval_required`). */
    status: 'complete' | 'partial' | 'aborted' | 'error' | 'awaiting_approval';
    assistant_message_id: string | null;
    /** The pending approval this turn ends on, else absent. */
    approval_id?: string;
  };
}

export type EventName = keyof EventData;
const FLAT: ReadonlySet<EventName> = new Set(['message_created', 'message']);
const TERMINAL: ReadonlySet<EventName> = new Set(['done', 'error']);

/** One SSE frame as Hono's `writeSSE` takes it. */
export interface SseFrame {
  event: EventName;
  id: string;
  data: string;
}

export type FrameSink = (frame: SseFrame) => Promise<void>;

export const HEARTBEAT_MS = 15_000;

/** Builds the frames of one run and writes them in order to a sink. */
export class RunEmitter {
  private seq = 0;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  /** Set when the sink failed (the client went away). */
  broken = false;

  constructor(
    readonly runId: string,
    private readonly sink: FrameSink,
    private readonly now: () => number = Date.now,
  ) {}

  /** True once `done` or `error` was emitted. */
  get terminated(): boolean {
    return this.finished;
  }

  /** Queues one event; returns when it (and everything before it) has been written. */
  emit<E extends EventName>(event: E, data: EventData[E]): Promise<void> {
    if (this.finished) return this.chain;
    if (TERMINAL.has(event)) {
      this.finished = true;
      this.stopHeartbeat();
    }
    const seq = ++this.seq;
    const body = FLAT.has(event) ? { ...data, seq } : { type: event, run_id: this.runId, seq, data, timestamp: this.now() };
    const frame: SseFrame = { event, id: String(seq), data: JSON.stringify(body) };
    this.chain = this.chain.then(async () => {
      if (this.broken) return;
      try {
        await this.sink(frame);
      } catch {
        this.broken = true;
        this.stopHeartbeat();
      }
    });
    return this.chain;
  }

  /** Starts the timer heartbeat: one `heartbeat` event every `ms`, whatever upstream does. */
  startHeartbeat(ms = HEARTBEAT_MS): void {
    this.stopHeartbeat();
    this.timer = setInterval(() => void this.emit('heartbeat', {}), ms);
    this.timer.unref();
  }

  stopHeartbeat(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resolves when every queued frame has been written. */
  flush(): Promise<void> {
    return this.chain;
  }
}

/** `run_` + 12 hex characters. */
export function newRunId(): string {
  return `run_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
}
