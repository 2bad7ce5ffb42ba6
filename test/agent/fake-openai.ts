/**
 * A local OpenAI-compatible server for agent tests: real HTTP on 127.0.0.1, port 0, answering
 * `POST /v1/chat/completions` with `stream: true` as server-sent chunks. Each test scripts the
 * replies in order; every request body is recorded, and so is a client that went away before
 * its reply finished (`aborted`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Step =
  | { text: string }
  | { tool: { id: string; name: string; args: Record<string, unknown> } }
  | { delayMs: number }
  /** An `error` payload in the stream (the SDK raises APIError). */
  | { streamError: string }
  /** Destroys the socket mid-stream. */
  | { cut: true }
  /** Never finishes: waits for the client to go away. */
  | { hang: true };

export interface Reply {
  steps: Step[];
  /** Answer with this HTTP status and a JSON error instead of a stream. */
  status?: number;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

export interface RecordedRequest {
  body: { model: string; messages: Array<Record<string, unknown>>; tools?: Array<{ function: { name: string } }>; tool_choice?: string; stream?: boolean; parallel_tool_calls?: boolean };
  aborted: boolean;
}

export interface FakeOpenAi {
  baseURL: string;
  requests: RecordedRequest[];
  /** Replies served in order; once empty, every request gets `fallback`. */
  script(...replies: Reply[]): void;
  fallback: Reply;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function chunk(res: ServerResponse, delta: Record<string, unknown>, finish: string | null = null): void {
  res.write(`data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: 'fake', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
}

async function serve(reply: Reply, rec: RecordedRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (reply.status) {
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `fake failure ${reply.status}`, type: 'server_error' } }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  let toolIndex = 0;
  for (const step of reply.steps) {
    if (rec.aborted) return;
    if ('text' in step) chunk(res, { role: 'assistant', content: step.text });
    else if ('tool' in step) {
      const args = JSON.stringify(step.tool.args);
      const half = Math.floor(args.length / 2);
      chunk(res, { tool_calls: [{ index: toolIndex, id: step.tool.id, type: 'function', function: { name: step.tool.name, arguments: args.slice(0, half) } }] });
      chunk(res, { tool_calls: [{ index: toolIndex, function: { arguments: args.slice(half) } }] });
      toolIndex++;
    } else if ('delayMs' in step) await sleep(step.delayMs);
    else if ('streamError' in step) {
      res.end(`data: ${JSON.stringify({ error: { message: step.streamError, type: 'server_error' } })}\n\n`);
      return;
    } else if ('cut' in step) {
      req.socket.destroy();
      return;
    } else if ('hang' in step) {
      await new Promise<void>((resolve) => res.on('close', () => resolve()));
      return;
    }
  }
  chunk(res, {}, toolIndex > 0 ? 'tool_calls' : 'stop');
  const u = reply.usage ?? { prompt_tokens: 100, completion_tokens: 20 };
  res.write(`data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: 'fake', choices: [], usage: { ...u, total_tokens: u.prompt_tokens + u.completion_tokens } })}\n\n`);
  res.end('data: [DONE]\n\n');
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queue: Reply[] = [];
  const requests: RecordedRequest[] = [];
  const fake: FakeOpenAi = {
    baseURL: '',
    requests,
    script: (...replies) => void queue.push(...replies),
    fallback: { steps: [{ text: 'fallback answer' }] },
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const rec: RecordedRequest = { body: JSON.parse(raw || '{}') as RecordedRequest['body'], aborted: false };
      requests.push(rec);
      res.on('close', () => {
        if (!res.writableFinished) rec.aborted = true;
      });
      void serve(queue.shift() ?? fake.fallback, rec, req, res);
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
