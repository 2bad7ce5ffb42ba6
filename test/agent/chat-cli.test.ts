/** `npm run chat`: bad arguments and an unreachable server exit non-zero with one message; a real server streams an answer. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, DEMO } from '../api/helpers.ts';
import type { TestDb } from '../helpers/db.ts';
import { entryArgs, ROOT } from '../helpers/run.ts';
import { seededDb } from '../mcp/mcp-harness.ts';

async function chat(args: string[], url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, [...entryArgs('scripts/chat.ts'), ...args], { cwd: ROOT, env: { PATH: process.env['PATH'], HOME: process.env['HOME'], SIGMASIGHT_URL: url }, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const OUT = new WeakMap<ChildProcess, { out: string; err: string }>();
const outOf = (c: ChildProcess) => OUT.get(c)!.out;
const errOf = (c: ChildProcess) => OUT.get(c)!.err;

/** `npm run chat` without a message (one node process, so signals reach it), driven by `drive` over its stdin. */
async function session(url: string, drive: (child: ChildProcess, seen: (cond: () => boolean) => Promise<void>) => void | Promise<void>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, entryArgs('scripts/chat.ts'), { cwd: ROOT, env: { PATH: process.env['PATH'], HOME: process.env['HOME'], SIGMASIGHT_URL: url } });
  const io = { out: '', err: '' };
  OUT.set(child, io);
  child.stdout.on('data', (d: Buffer) => (io.out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (io.err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const seen = async (cond: () => boolean) => {
    for (let i = 0; i < 600 && !cond(); i++) await new Promise((r) => setTimeout(r, 50));
    if (!cond()) throw new Error(`timed out; stdout: ${io.out}\nstderr: ${io.err}`);
  };
  try {
    await seen(() => io.err.includes('SigmaSight chat at'));
    await drive(child, seen);
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    return { code, stdout: io.out, stderr: io.err };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe('chat command', () => {
  let db: TestDb;
  let server: ServerType;
  let url = '';
  beforeAll(async () => {
    db = await seededDb('pglite');
    const app = buildApp(db); // no OPENAI_* variables: the offline responder answers
    url = await new Promise<string>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(`http://127.0.0.1:${info.port}`));
    });
  });
  afterAll(async () => {
    server.close();
    await db.destroy();
  });

  it('refuses conflicting options with usage and exit 2', async () => {
    const both = await chat(['hi', '--portfolio', DEMO.individual.portfolioId, '--conversation', 'x'], url);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either --portfolio or --conversation[\s\S]*usage: npm run chat/);
  });

  it('without a message: an interactive session with /portfolio, /mode, /history, /new and /quit', async () => {
    const lines = ['/portfolio', 'Which portfolios do I have?', '/mode blue', '/mode purple', '/history', '/bogus', `/portfolio ${DEMO.hnw.portfolioId}`, '/new', '/quit', 'never sent'];
    const r = await session(url, (child) => void child.stdin!.end(lines.join('\n') + '\n'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('without a language model');
    expect(r.stdout).toContain(DEMO.individual.portfolioId);
    expect(r.stderr).toContain(`  ${DEMO.individual.portfolioId}  `); // the portfolio list
    expect(r.stderr).toMatch(/\[tool\] list_user_portfolios ok, 1 rows/);
    expect(r.stderr).toContain('mode green → blue from the next answer');
    expect(r.stderr).toContain('error: /mode takes one of green, blue, indigo, violet');
    expect(r.stderr).toContain('you> Which portfolios do I have?');
    expect(r.stderr).toMatch(/assistant> .*without a language model/);
    expect(r.stderr).toContain('error: unknown command /bogus');
    expect(r.stderr).toMatch(/error: no portfolio of yours has the id e23ab931/);
    expect(r.stderr).toContain('a new conversation starts with your next message');
    expect(r.stderr).not.toContain('never sent');
  });

  it('Ctrl-C stops the answer, not the session', async () => {
    // A server whose answer never ends: the session must stop it on SIGINT and go on.
    let closed = false;
    const fake = createHttpServer((req, res) => {
      if (req.url === '/api/v1/auth/login') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'x'.repeat(32) }));
      if (req.url === '/api/v1/chat/conversations') return void res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'c-1' }));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`event: token\ndata: ${JSON.stringify({ data: { delta: 'Thinking about your beta' } })}\n\n`);
      req.socket.on('close', () => (closed = true));
    });
    const fakeUrl = await new Promise<string>((resolve) => fake.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(fake.address() as { port: number }).port}`)));
    try {
      const r = await session(fakeUrl, async (child, seen) => {
        child.stdin!.write('what is my beta?\n');
        await seen(() => outOf(child).includes('Thinking about your beta'));
        child.kill('SIGINT');
        await seen(() => errOf(child).includes('[stopped]'));
        child.kill('SIGINT'); // at the prompt: a hint, the session stays
        await seen(() => errOf(child).includes('/quit leaves'));
        child.stdin!.end('/quit\n');
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('[stopped] the answer was stopped; the conversation goes on');
      expect(r.stderr).toContain('continue with --conversation c-1');
      expect(closed).toBe(true);
    } finally {
      fake.close();
    }
  });

  it('says when the server cannot be reached, exit 1', async () => {
    const r = await chat(['hi'], 'http://127.0.0.1:9');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach SigmaSight at http:\/\/127\.0\.0\.1:9/);
  });

  it("logs in as the demo user, streams the answer on stdout and tool activity on stderr", async () => {
    const r = await chat(['Which portfolios do I have?'], url);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('without a language model');
    expect(r.stdout).toContain(DEMO.individual.portfolioId);
    expect(r.stderr).toMatch(/\[tool\] list_user_portfolios ok, 1 rows/);
    expect(r.stderr).toMatch(/continue with --conversation [0-9a-f-]{36}/);
  });

  it('a foreign portfolio exits 1 with the server detail', async () => {
    const r = await chat(['hi', '--portfolio', DEMO.hnw.portfolioId], url);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/answered 404: portfolio .* not found/);
  });
});
