/**
 * The HTTP side of `npm run chat`: log in, open a conversation, send a message and read the SSE
 * reply with `eventsource-parser`, handing each event to a callback as it arrives.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export class ChatClientError extends Error {
  override readonly name = 'ChatClientError';
  constructor(
    message: string,
    /** HTTP status when the server answered with an error. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface ChatEvent {
  event: string;
  id: string | undefined;
  body: Record<string, unknown> & { data?: Record<string, unknown> };
}

async function request(base: string, path: string, init: RequestInit & { token?: string }): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.body) headers.set('content-type', 'application/json');
  let res: Response;
  try {
    res = await fetch(new URL(path, base), { ...init, headers });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ChatClientError(`cannot reach SigmaSight at ${base} (${(err as Error).cause ? String((err as { cause: { code?: string } }).cause.code ?? err) : (err as Error).message}); start it with \`npm start\` or set SIGMASIGHT_URL`);
  }
  if (!res.ok) {
    const text = await res.text();
    let detail = text;
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail ?? text;
    } catch {
      // not JSON: keep the raw text
    }
    throw new ChatClientError(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${detail}`, res.status);
  }
  return res;
}

export async function login(base: string, email: string, password: string): Promise<string> {
  const res = await request(base, '/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) });
  return ((await res.json()) as { access_token: string }).access_token;
}

export async function createConversation(base: string, token: string, portfolioId: string | undefined): Promise<string> {
  const res = await request(base, '/api/v1/chat/conversations', { method: 'POST', token, body: JSON.stringify(portfolioId ? { portfolio_id: portfolioId } : {}) });
  return ((await res.json()) as { id: string }).id;
}

/** Any JSON call of the chat session (`/mode`, `/portfolio`, `/history`). */
export async function getJson<T>(base: string, token: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await request(base, path, { method: init.method ?? 'GET', token, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) });
  return (await res.json()) as T;
}

/** Sends one message and calls `onEvent` for every SSE event until the stream ends (or `signal` aborts it, which stops the turn on the server). */
export async function sendMessage(base: string, token: string, body: { conversation_id: string; text: string; client_request_id: string }, onEvent: (e: ChatEvent) => void, signal?: AbortSignal): Promise<void> {
  const res = await request(base, '/api/v1/chat/send', { method: 'POST', token, body: JSON.stringify(body), headers: { accept: 'text/event-stream' }, ...(signal ? { signal } : {}) });
  if (!res.body) throw new ChatClientError('the server sent no stream');
  const parser = createParser({
    onEvent: (m: EventSourceMessage) => onEvent({ event: m.event ?? 'message', id: m.id, body: JSON.parse(m.data) as ChatEvent['body'] }),
  });
  const decoder = new TextDecoder();
  for await (const chunk of res.body) parser.feed(decoder.decode(chunk, { stream: true }));
}
