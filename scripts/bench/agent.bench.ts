/**
 * Benchmark: the chat path end to end over real HTTP (the app on 127.0.0.1, PGlite in memory with
 * the demo seed) against a local OpenAI-compatible model that answers instantly, so the figures
 * are SigmaSight's own overhead: time from request to the first SSE byte, time per tool round
 * beyond the tools' own time, and 100 concurrent chats (all must end with `done`). The model
 * server runs on a worker thread, as a real model server runs outside SigmaSight's process: its
 * request parsing and garbage are not charged to the app's event loop.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { serve } from '@hono/node-server';
import { createApp } from '../../api/app.ts';
import { prepareDatabase } from '../../core/bootstrap.ts';
import { parseEnv } from '../../core/env.ts';
import { createLogger } from '../../core/logger.ts';
import { createDb } from '../../db/client.ts';
import type { BenchRow, BenchSuite } from './lib.ts';

const ROUNDS = 4;
const CONCURRENT = 100;
/** Pairs of sends (one tool-less, one with ROUNDS tool rounds), interleaved so load drift hits both alike. */
const PAIRS = 100;

/**
 * The instant model, run on a worker thread (plain JavaScript, so the worker needs no loader):
 * `tools:N` in the last user message asks for N rounds of one `list_user_portfolios` call each.
 */
const FAKE_MODEL = `
const { createServer } = require('node:http');
const { parentPort } = require('node:worker_threads');
const chunk = (delta, finish = null) => 'data: ' + JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'instant', choices: [{ index: 0, delta, finish_reason: finish }] }) + '\\n\\n';
const server = createServer((req, res) => {
  let raw = '';
  req.on('data', (d) => (raw += d.toString()));
  req.on('end', () => {
    const body = JSON.parse(raw);
    const lastUser = body.messages.findLastIndex((m) => m.role === 'user');
    const wanted = Number((/tools:(\\d+)/.exec(String(body.messages[lastUser]?.content)) ?? [])[1] ?? 0);
    const done = body.messages.slice(lastUser).filter((m) => m.role === 'tool').length;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (done < wanted && body.tool_choice !== 'none') {
      res.write(chunk({ tool_calls: [{ index: 0, id: 'call_' + done, type: 'function', function: { name: 'list_user_portfolios', arguments: '{}' } }] }));
      res.write(chunk({}, 'tool_calls'));
    } else {
      res.write(chunk({ role: 'assistant', content: 'Done.' }));
      res.write(chunk({}, 'stop'));
    }
    res.end('data: [DONE]\\n\\n');
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => server.close(() => process.exit(0)));
`;

async function startFakeModel(): Promise<{ port: number; close: () => Promise<void> }> {
  const worker = new Worker(FAKE_MODEL, { eval: true });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { port, close: () => new Promise<void>((r) => (worker.once('exit', () => r()), worker.postMessage('close'))) };
}

interface Turn {
  firstByteMs: number;
  totalMs: number;
  toolMs: number;
  terminal: string;
}

async function send(base: string, token: string, conversationId: string, text: string): Promise<Turn> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/chat/send`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ conversation_id: conversationId, text }) });
  let firstByteMs = -1;
  let raw = '';
  const decoder = new TextDecoder();
  for await (const part of res.body!) {
    if (firstByteMs < 0) firstByteMs = performance.now() - t0;
    raw += decoder.decode(part, { stream: true });
  }
  const totalMs = performance.now() - t0;
  const toolMs = [...raw.matchAll(/"duration_ms":(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
  const terminal = /event: (done|error)/.exec(raw)?.[1] ?? 'none';
  return { firstByteMs, totalMs, toolMs, terminal };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]!;

async function setup() {
  const model = await startFakeModel();
  const modelPort = model.port;
  const dbh = createDb({ pgliteDir: 'memory://' });
  await dbh.migrate();
  await prepareDatabase(dbh, { seed: true });
  const env = parseEnv({ NODE_ENV: 'test', OPENAI_BASE_URL: `http://127.0.0.1:${modelPort}/v1`, OPENAI_MODEL: 'instant', RATE_LIMIT_API_PER_MIN: '100000000', RATE_LIMIT_LOGIN_PER_EMAIL: '1000', RATE_LIMIT_LOGIN_PER_IP: '1000' });
  const app = createApp({ env, dbh, log: createLogger({ level: 'silent' }), startedAt: Date.now(), version: 'bench' });
  let http!: ReturnType<typeof serve>;
  const port = await new Promise<number>((r) => (http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => r(info.port))));
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo_individual@sigmasight.com', password: 'demo12345' }) });
  const token = ((await login.json()) as { access_token: string }).access_token;
  const conversation = async () => {
    const r = await fetch(`${base}/api/v1/chat/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    return ((await r.json()) as { id: string }).id;
  };
  const close = async () => {
    http.close();
    await model.close();
    await dbh.close();
  };
  return { base, token, conversation, close };
}

const suite: BenchSuite = {
  name: 'Chat agent (HTTP + SSE, instant local model)',
  async run(): Promise<BenchRow[]> {
    const s = await setup();
    try {
      const conv = await s.conversation();
      const plain: Turn[] = [];
      const tooled: Turn[] = [];
      for (let i = 0; i < 5; i++) await send(s.base, s.token, conv, 'warm up tools:1');
      const load0 = os.loadavg()[0]!;
      for (let i = 0; i < PAIRS; i++) {
        plain.push(await send(s.base, s.token, conv, 'hello'));
        tooled.push(await send(s.base, s.token, conv, `tools:${ROUNDS}`));
      }
      // Each tooled turn less its tools' own time, less the tool-less turn sent just before it.
      const perRound = median(tooled.map((t, i) => (t.totalMs - t.toolMs - plain[i]!.totalMs) / ROUNDS));
      const load = `${load0.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)}`;
      const convs = await Promise.all(Array.from({ length: CONCURRENT }, () => s.conversation()));
      const t0 = performance.now();
      const many = await Promise.all(convs.map((c, i) => send(s.base, s.token, c, i % 2 ? 'tools:1' : 'hello')));
      const wallMs = performance.now() - t0;
      const failures = many.filter((t) => t.terminal !== 'done').length;
      if (failures) throw new Error(`${failures} of ${CONCURRENT} concurrent chats did not end with done`);
      return [
        { name: 'request → first SSE byte (POST /chat/send)', unit: 'request', units: 1, medianMs: median(plain.map((t) => t.firstByteMs)), extra: { p99: `${p99(plain.map((t) => t.firstByteMs)).toFixed(2)} ms` } },
        { name: 'whole tool-less turn', unit: 'turn', units: 1, medianMs: median(plain.map((t) => t.totalMs)) },
        { name: `overhead per tool round (${ROUNDS} rounds, tool time excluded; median of ${PAIRS} pairs)`, unit: 'round', units: 1, medianMs: perRound, extra: { 'tool time per round': `${(median(tooled.map((t) => t.toolMs)) / ROUNDS).toFixed(2)} ms`, 'load average (1 min)': load } },
        { name: `${CONCURRENT} concurrent chats (half with a tool round)`, unit: 'chat', units: CONCURRENT, medianMs: wallMs, extra: { errors: failures, 'p99 turn': `${p99(many.map((t) => t.totalMs)).toFixed(1)} ms` } },
      ];
    } finally {
      await s.close();
    }
  },
};

export default suite;
