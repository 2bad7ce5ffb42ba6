/**
 * One way to register a tool: a zod input and output contract, MCP annotations from a preset,
 * `structuredContent` plus a one-line summary (and the compact JSON for clients that read text
 * only), and every failure turned into an `isError` result that says `CODE: message` and how to
 * recover. Protocol errors are left to the SDK for malformed requests. An argument name the tool
 * does not know is refused (naming it and the accepted ones) rather than silently dropped. A call
 * the client cancels (or abandons by going away) stops at its next database statement. A result
 * about one portfolio (an output with `portfolio_id`) links that portfolio's report resource.
 */
import type { McpServer, CallToolResult, ToolAnnotations, ServerContext } from '@modelcontextprotocol/server';
import { z } from '@hono/zod-openapi';
import { AppError, toAppError, type ErrorCode } from '../../core/errors.ts';
import { cancellableDeps } from '../../core/services/context.ts';
import type { McpContext } from '../context.ts';
import { ICONS } from '../icon.ts';
import { reportResourceLink } from '../resources.ts';

/** Reads stored or computed results; safe to call any number of times. */
export const READ_ONLY: Omit<ToolAnnotations, 'title'> = { readOnlyHint: true, idempotentHint: true, destructiveHint: false, openWorldHint: false };
/** Computes on the fly without storing anything (what-if, custom stress). */
export const COMPUTE_ONLY = READ_ONLY;
/** Starts work that writes results (the batch); idempotent per trading date, never retried automatically. */
export const STARTS_WORK: Omit<ToolAnnotations, 'title'> = { readOnlyHint: false, idempotentHint: true, destructiveHint: false, openWorldHint: false };

/** Changes the user's book; an agent runs it only after the user approved the exact change. */
export const APPROVAL_META = { 'sigmasight.dev/requires-approval': true } as const;
/** Adds to the book (a second identical call conflicts instead of adding twice). */
export const BOOK_ADD: Omit<ToolAnnotations, 'title'> = { readOnlyHint: false, idempotentHint: false, destructiveHint: false, openWorldHint: false };
/** Overwrites or removes part of the book; repeating the same call changes nothing more. */
export const BOOK_OVERWRITE: Omit<ToolAnnotations, 'title'> = { readOnlyHint: false, idempotentHint: true, destructiveHint: true, openWorldHint: false };
/** Ends a holding (close): not repeatable, since a closed position cannot close again. */
export const BOOK_CLOSE: Omit<ToolAnnotations, 'title'> = { readOnlyHint: false, idempotentHint: false, destructiveHint: true, openWorldHint: false };

/** Largest JSON text block handed to a model; arrays are shortened structurally, never cut mid-JSON. */
export const TEXT_BYTES_MAX = 12_000;

const DEFAULT_HINTS: Record<ErrorCode, string> = {
  VALIDATION: 'check the arguments against the tool input schema and call again',
  UNAUTHENTICATED: 'sign in again; the session has expired',
  FORBIDDEN: 'this action needs an administrator',
  NOT_FOUND: 'call list_user_portfolios for the portfolio ids you can use, or get_positions_details for position ids',
  CONFLICT: 'a run is already in progress for this portfolio and date; poll get_batch_status instead of starting another',
  TOO_LARGE: 'the input is over the limit named in the message; split it and call again for each part',
  UNPROCESSABLE: 'the stored data cannot support this calculation; call get_portfolio_data_quality to see what is missing',
  RATE_LIMITED: 'wait a little and call again',
  UPSTREAM: 'a data provider failed; stored data is still available, call again later',
  UNAVAILABLE: 'the database is briefly unreachable; wait a few seconds and call again',
  INTERNAL: 'call again once; if it fails again, the error has been logged',
};

export interface ToolDefinition<I extends z.ZodObject, O extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: Omit<ToolAnnotations, 'title'>;
  /** Tool metadata (`_meta`), e.g. APPROVAL_META for book writes. */
  meta?: Record<string, unknown>;
  /** Recovery hints that override the defaults for this tool. */
  hints?: Partial<Record<ErrorCode, string>>;
  run: (input: z.infer<I>, ctx: McpContext) => Promise<z.infer<O>>;
  summary: (out: z.infer<O>) => string;
}

/** Halves the longest array until the JSON fits `maxBytes`; marks `truncated` on objects that have the key. */
export function fitJson(value: unknown, maxBytes = TEXT_BYTES_MAX): string {
  let text = JSON.stringify(value);
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const copy = structuredClone(value) as unknown;
  for (let guard = 0; guard < 64 && Buffer.byteLength(text) > maxBytes; guard++) {
    const longest = findLongestArray(copy);
    if (!longest || longest.array.length === 0) break;
    longest.array.length = Math.floor(longest.array.length / 2);
    if (longest.owner && 'truncated' in longest.owner) longest.owner['truncated'] = true;
    text = JSON.stringify(copy);
  }
  return text;
}

function findLongestArray(v: unknown, owner: Record<string, unknown> | null = null): { array: unknown[]; owner: Record<string, unknown> | null } | null {
  if (Array.isArray(v)) {
    let best: { array: unknown[]; owner: Record<string, unknown> | null } | null = { array: v, owner };
    for (const item of v) {
      const inner = findLongestArray(item, null);
      if (inner && JSON.stringify(inner.array).length > JSON.stringify(best!.array).length) best = inner;
    }
    return best;
  }
  if (v && typeof v === 'object') {
    let best: { array: unknown[]; owner: Record<string, unknown> | null } | null = null;
    for (const child of Object.values(v as Record<string, unknown>)) {
      const inner = findLongestArray(child, v as Record<string, unknown>);
      if (inner && (!best || JSON.stringify(inner.array).length > JSON.stringify(best.array).length)) best = inner;
    }
    return best;
  }
  return null;
}

/** The text of a tool error: `CODE: message` and a recovery hint. */
export function toolErrorText(err: unknown, hints: Partial<Record<ErrorCode, string>> = {}): { code: ErrorCode; text: string } {
  const e = toAppError(err);
  const message = e.code === 'INTERNAL' ? 'the tool failed unexpectedly' : e.message;
  return { code: e.code, text: `${e.code}: ${message}. Hint: ${hints[e.code] ?? DEFAULT_HINTS[e.code]}.` };
}

/**
 * `input` refusing unknown argument names: the error names each unknown key and lists the
 * accepted ones (a misspelt `portfolio` for `portfolio_id` would otherwise be dropped and the
 * call answered for the default portfolio). Checks and field schemas are kept as they are.
 */
export function strictInput<I extends z.ZodObject>(input: I): I {
  const accepted = Object.keys(input.shape);
  const def = input._zod.def;
  const error = (iss: z.core.$ZodRawIssue) => {
    if (iss.code !== 'unrecognized_keys') return def.error?.(iss as never);
    const keys = (iss as { keys: string[] }).keys.map((k) => `"${k}"`).join(', ');
    const known = accepted.length ? `accepted arguments: ${accepted.join(', ')}` : 'this tool takes no arguments';
    return `unknown argument${(iss as { keys: string[] }).keys.length > 1 ? 's' : ''} ${keys}; ${known}`;
  };
  return input.clone({ ...def, catchall: z.never(), error } as typeof def);
}

/** The report resource link of a result about one portfolio (its `portfolio_id`). */
function reportLinks(out: unknown): ReturnType<typeof reportResourceLink>[] {
  const id = (out as { portfolio_id?: unknown } | null)?.portfolio_id;
  return typeof id === 'string' && id !== '' ? [reportResourceLink(id)] : [];
}

/** The tool's answer for output `out`: `structuredContent`, the one-line summary, the compact JSON and the report link. */
export function toolResult<T>(def: { summary: (out: T) => string }, out: T): CallToolResult {
  return {
    structuredContent: out as Record<string, unknown>,
    content: [
      { type: 'text', text: def.summary(out) },
      { type: 'text', text: fitJson(out) },
      ...reportLinks(out),
    ],
  };
}

/** Arguments checked against the tool's input contract as a call would be; @throws AppError VALIDATION naming each problem */
export function parseToolInput<I extends z.ZodObject>(def: Pick<ToolDefinition<I, z.ZodObject>, 'input'>, args: unknown): z.infer<I> {
  const parsed = strictInput(def.input).safeParse(args ?? {});
  if (parsed.success) return parsed.data;
  throw new AppError('VALIDATION', parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
}

export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(server: McpServer, ctx: McpContext, def: ToolDefinition<I, O>): void {
  server.registerTool(
    def.name,
    { title: def.title, description: def.description, inputSchema: strictInput(def.input), outputSchema: def.output, annotations: { title: def.title, ...def.annotations }, icons: ICONS, ...(def.meta ? { _meta: def.meta } : {}) },
    (async (args: z.infer<I>, extra: ServerContext): Promise<CallToolResult> => {
      const t0 = performance.now();
      const { signal } = extra.mcpReq;
      try {
        // A cancelled call (the client aborted it or went away) starts no further statement; work a
        // tool starts (a batch run) keeps the plain handle, since it must outlive the call.
        const deps = def.annotations === STARTS_WORK ? ctx.deps : cancellableDeps(ctx.deps, signal);
        const token = extra.mcpReq._meta?.progressToken;
        const progress = token === undefined ? undefined : async (done: number, total: number, message: string) => {
          await extra.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress: done, total, message } }).catch(() => {});
        };
        const out = await def.run(args, { ...ctx, deps, signal, ...(progress ? { progress } : {}) });
        ctx.deps.log.debug({ tool: def.name, ms: Math.round(performance.now() - t0) }, 'tool call');
        return toolResult(def, out);
      } catch (err) {
        if (signal.aborted) {
          ctx.deps.log.info({ tool: def.name, ms: Math.round(performance.now() - t0) }, 'tool call cancelled');
          return { isError: true, content: [{ type: 'text', text: 'CANCELLED: the call was cancelled by the client.' }] };
        }
        const { code, text } = toolErrorText(err, def.hints);
        if (code === 'INTERNAL') ctx.deps.log.error({ err, tool: def.name }, 'tool failed');
        else ctx.deps.log.info({ tool: def.name, code }, 'tool error');
        return { isError: true, content: [{ type: 'text', text }] };
      }
    }) as never,
  );
}
