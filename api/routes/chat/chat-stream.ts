/**
 * The one SSE door of the agent: every send route (reference `/chat/send`, seed-guide
 * `/agent/chat` and `/agent/chat/stream`) prepares the turn first, so refusals are plain HTTP
 * problem+json, and only then opens the stream with Hono's `streamSSE`. A client that goes away
 * aborts the turn (model request and pending tools).
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Principal } from '../../../core/services/context.ts';
import { prepareTurn, type PreparedTurn, type TurnInput } from '../../../agent/turn.ts';
import { serviceDeps, type AppBindings } from '../../context.ts';
import { agentRuntime } from './runtime.ts';

export async function streamTurn(c: Context<AppBindings>, principal: Principal, input: TurnInput): Promise<Response> {
  const rt = agentRuntime(c.get('deps'), serviceDeps(c));
  return streamPrepared(c, await prepareTurn(rt, principal, input));
}

/** Streams a turn that passed its checks (a send, or a resumed turn after an approval decision). */
export function streamPrepared(c: Context<AppBindings>, turn: PreparedTurn): Response {
  c.header('X-Accel-Buffering', 'no');
  c.header('Cache-Control', 'no-cache');
  // Declared chunked, the Node adapter writes the headers at once instead of probing the body for a length.
  c.header('Transfer-Encoding', 'chunked');
  return streamSSE(c, async (stream) => {
    const client = new AbortController();
    const gone = () => client.abort(new Error('client disconnected'));
    stream.onAbort(gone);
    c.req.raw.signal.addEventListener('abort', gone, { once: true });
    await turn.run((frame) => stream.writeSSE(frame), client.signal);
  });
}
