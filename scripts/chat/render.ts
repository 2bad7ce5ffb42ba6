/** How `npm run chat` prints one SSE event: answer text for stdout, tool activity and the outcome for stderr. */
import type { ChatEvent } from './sse-client.ts';

export interface Rendered {
  out?: string;
  err?: string;
  /** The turn's final event: 'done', or 'error' with its message on `err`. */
  end?: 'done' | 'error';
}

export function renderEvent(e: ChatEvent): Rendered {
  const d = e.body.data ?? {};
  if (e.event === 'token' || e.event === 'message') return { out: String(d['delta'] ?? e.body['delta'] ?? '') };
  if (e.event === 'tool_call') return { err: `\n  [tool] ${String(d['tool_name'])} …\n` };
  if (e.event === 'tool_result') return { err: `  [tool] ${String(d['tool_name'])} ${d['ok'] ? `ok, ${String(d['row_count'])} rows` : 'failed'} in ${String(d['duration_ms'])} ms${d['truncated'] ? ' (truncated)' : ''}\n` };
  if (e.event === 'done') return { out: '\n', err: `  [done] ${String(d['model_used'])}, ${String(d['tool_rounds'])} tool round(s), ${String(d['latency_ms'])} ms`, end: 'done' };
  if (e.event === 'error') return { out: '\n', err: `error: ${String(d['message'])} (${String(d['code'])})\n`, end: 'error' };
  return {};
}
