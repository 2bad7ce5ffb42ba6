/**
 * The agent's tools are the MCP tools: `loadToolset` lists them through the in-process MCP client
 * and turns each JSON Schema into an OpenAI function tool (one definition of every tool). The
 * portfolio is bound on the server (spec agent.md 4): `portfolio_id` is removed from what the
 * model sees and injected into every call of a tool that takes it, so the model can neither
 * invent an id nor reach another portfolio. `callTool` runs one call with a timeout and the
 * turn's abort signal (which cancels the call on the server, so a disconnect stops a running tool)
 * and reduces the result to what the loop, the events and the store need.
 */
import type { Client, CallToolResult, Tool } from '@modelcontextprotocol/client';
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import type { ToolCallRequest } from './model.ts';

export const PREVIEW_CHARS = 280;
const BOUND_ARG = 'portfolio_id';
/** The tool metadata key that marks a tool the agent may run only after the user approved the call. */
export const REQUIRES_APPROVAL = 'sigmasight.dev/requires-approval';

export interface Toolset {
  /** Function tools offered to the model. */
  functions: ChatCompletionFunctionTool[];
  /** Tools whose input takes `portfolio_id` (bound server-side). */
  bindsPortfolio: ReadonlySet<string>;
  /** The MCP descriptors, as listed. */
  tools: Tool[];
  /** Tools that change data: a call is proposed to the user and runs only once they approve it. */
  requiresApproval: ReadonlySet<string>;
}

/**
 * Whether a call of `tool` needs the user's approval: the requires-approval marker, and, failing
 * closed, any tool that is not declared read-only and does not declare itself non-destructive
 * (the MCP default for an unannotated tool is destructive).
 */
export function needsApproval(tool: Tool): boolean {
  if (tool._meta?.[REQUIRES_APPROVAL] === true) return true;
  const a = tool.annotations;
  return a?.readOnlyHint !== true && a?.destructiveHint !== false;
}

/** JSON Schema of an MCP tool input → OpenAI function parameters, without the bound portfolio id. */
export function toFunctionTool(tool: Tool): ChatCompletionFunctionTool {
  const { $schema: _ignored, properties = {}, required = [], ...rest } = tool.inputSchema as Tool['inputSchema'] & { $schema?: string };
  const { [BOUND_ARG]: _bound, ...visible } = properties as Record<string, object>;
  const parameters = { ...rest, type: 'object', properties: visible, required: required.filter((r) => r !== BOUND_ARG) };
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description ?? tool.title ?? tool.name, parameters },
  };
}

/** Lists the MCP tools once per turn and converts them. */
export async function loadToolset(client: Client, signal?: AbortSignal): Promise<Toolset> {
  const { tools } = await client.listTools(undefined, signal ? { signal } : undefined);
  const bindsPortfolio = new Set(tools.filter((t) => t.inputSchema.properties && BOUND_ARG in t.inputSchema.properties).map((t) => t.name));
  return { functions: tools.map(toFunctionTool), bindsPortfolio, tools, requiresApproval: new Set(tools.filter(needsApproval).map((t) => t.name)) };
}

export interface ToolOutcome {
  callId: string;
  name: string;
  args: Record<string, unknown>;
  ok: boolean;
  rowCount: number;
  truncated: boolean;
  preview: string;
  durationMs: number;
  resultBytes: number;
  /** JSON text handed back to the model: `{ok, summary, data}` or `{ok:false, error}`. */
  modelContent: string;
  structured: Record<string, unknown> | null;
  error: string | null;
}

export interface CallOptions {
  portfolioId: string;
  toolset: Toolset;
  timeoutMs: number;
  signal: AbortSignal;
  /**
   * Set only by the approval path, for the one call the user approved. Without it a tool that
   * needs approval is never run, whichever way the call arrives.
   */
  approved?: boolean;
}

/** The arguments a call runs with: the model's JSON object, with the portfolio bound (or dropped) server-side; null when not an object. */
export function boundArgs(call: ToolCallRequest, opts: Pick<CallOptions, 'portfolioId' | 'toolset'>): Record<string, unknown> | null {
  const args = parseArgs(call.arguments);
  if (!args) return null;
  // The model never chooses the portfolio: bound for tools that take one, dropped for the rest.
  if (opts.toolset.bindsPortfolio.has(call.name)) args[BOUND_ARG] = opts.portfolioId;
  else delete args[BOUND_ARG];
  return args;
}

/** The listed tool a wrongly spelled name means (other case, dashes, spaces), for the hint; null when none. */
export function nearestTool(toolset: Toolset, name: string): string | null {
  const fold = (s: string) => s.trim().toLowerCase().replace(/[\s.-]+/g, '_');
  return toolset.tools.find((t) => fold(t.name) === fold(name))?.name ?? null;
}

/** The refusal for a name that is not exactly a listed tool: nothing is sent to the server. */
export function unknownToolText(toolset: Toolset, name: string): string {
  const near = nearestTool(toolset, name);
  return `VALIDATION: there is no tool named ${JSON.stringify(name.slice(0, 64))}; tool names are exact. Hint: ${near ? `call ${near}` : 'call one of the tools you were given'}.`;
}

function parseArgs(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text.trim() === '' ? '{}' : text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Runs one tool call. Tool failures, and a call cut short by the turn's abort, become `ok: false` outcomes. */
export async function callTool(client: Client, call: ToolCallRequest, opts: CallOptions): Promise<ToolOutcome> {
  const t0 = performance.now();
  const parsed = boundArgs(call, opts);
  const args = parsed ?? {};
  const base = { callId: call.id, name: call.name, args };
  // Only exact names of listed tools reach the server, and a write only on the approval path.
  if (!opts.toolset.tools.some((t) => t.name === call.name)) return failure(base, unknownToolText(opts.toolset, call.name), t0);
  if (opts.toolset.requiresApproval.has(call.name) && opts.approved !== true) {
    return failure(base, `APPROVAL_REQUIRED: ${call.name} changes the book and runs only after the user approves the exact change. Hint: propose it as a single call and wait for the decision.`, t0);
  }
  if (!parsed) return failure(base, 'VALIDATION: the arguments are not a JSON object. Hint: call again with a JSON object matching the tool schema.', t0);
  try {
    const r = (await client.callTool({ name: call.name, arguments: args }, { signal: opts.signal, timeout: opts.timeoutMs })) as CallToolResult;
    if (r.isError) return failure(base, textOf(r) || 'INTERNAL: the tool failed', t0);
    return success(base, r, t0);
  } catch (err) {
    // The turn was stopped while the tool ran: the SDK cancelled the server-side call; the outcome
    // is kept for the record (the loop ends the turn right after the round).
    if (opts.signal.aborted) return failure(base, `ABORTED: the turn stopped before the tool answered (${reasonOf(opts.signal)}).`, t0);
    const timedOut = /timed? ?out/i.test(String((err as Error).message));
    const text = timedOut
      ? `TIMEOUT: the tool did not answer within ${Math.round(opts.timeoutMs / 1000)} s. Hint: ask for less data or call again later.`
      : `INTERNAL: ${(err as Error).message}. Hint: call again once.`;
    return failure(base, text, t0);
  }
}

function reasonOf(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error ? r.message : String(r);
}

function textOf(r: CallToolResult): string {
  return r.content.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('\n');
}

/** The outcome of a call answered with `error` without running it. */
export const refusedOutcome = (call: ToolCallRequest, args: Record<string, unknown>, error: string): ToolOutcome => failure({ callId: call.id, name: call.name, args }, error, performance.now());

function failure(base: Pick<ToolOutcome, 'callId' | 'name' | 'args'>, error: string, t0: number): ToolOutcome {
  const modelContent = JSON.stringify({ ok: false, error });
  return { ...base, ok: false, rowCount: 0, truncated: false, preview: error.slice(0, PREVIEW_CHARS), durationMs: ms(t0), resultBytes: Buffer.byteLength(modelContent), modelContent, structured: null, error };
}

function success(base: Pick<ToolOutcome, 'callId' | 'name' | 'args'>, r: CallToolResult, t0: number): ToolOutcome {
  const texts = r.content.flatMap((c) => (c.type === 'text' ? [c.text] : []));
  const structured = (r.structuredContent ?? null) as Record<string, unknown> | null;
  const summary = texts[0] ?? '';
  // The server already fitted the JSON block under its byte ceiling by shortening arrays.
  const dataText = texts[1] ?? (structured ? JSON.stringify(structured) : 'null');
  const full = structured ? JSON.stringify(structured) : dataText;
  const modelContent = `{"ok":true,"summary":${JSON.stringify(summary)},"data":${dataText}}`;
  return {
    ...base,
    ok: true,
    rowCount: rowCount(structured),
    truncated: structured?.['truncated'] === true || dataText.length < full.length,
    preview: summary.slice(0, PREVIEW_CHARS),
    durationMs: ms(t0),
    resultBytes: Buffer.byteLength(full),
    modelContent,
    structured,
    error: null,
  };
}

/** Rows in a result: its `count` when it states one, else its longest top-level array, else 1. */
export function rowCount(structured: Record<string, unknown> | null): number {
  if (!structured) return 0;
  if (typeof structured['count'] === 'number') return structured['count'];
  const lengths = Object.values(structured).filter(Array.isArray).map((a) => a.length);
  return lengths.length ? Math.max(...lengths) : 1;
}

const ms = (t0: number) => Math.round(performance.now() - t0);
