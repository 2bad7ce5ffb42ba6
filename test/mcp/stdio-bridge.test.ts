/**
 * `npm run mcp` while `npm start` runs on the same embedded database: the server records its URL
 * in the data directory's lock, and the stdio entry bridges to its /mcp instead of failing on the
 * lock. Driven as users do: the MCP Inspector CLI over stdio (`npm run mcp`) lists and calls the
 * tools and sees what the server holds (a portfolio created over REST; one created through the
 * bridge shows over REST), two stdio clients at once, and a start-up failure served as an MCP
 * error. The lock lookup and the local session exchange are checked on their own.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CallToolResult, ClientOptions } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataDirLock } from '../../core/database.ts';
import { lockDataDir, recordDataDirHolder } from '../../db/data-dir-lock.ts';
import { findLocalServer } from '../../mcp-server/stdio-bridge.ts';
import { DEMO, DEMO_PASSWORD } from '../api/helpers.ts';
import { seedPgliteDir } from '../helpers/db.ts';
import { entryArgs, freePort, ROOT } from '../helpers/run.ts';

const root = mkdtempSync(join(tmpdir(), 'sigmasight-bridge-'));
const dbDir = join(root, 'db');
const INSPECTOR = join(ROOT, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');
const baseEnv = { PATH: process.env['PATH'] ?? '', HOME: root };

let server: ChildProcess;
let url: string;
let token: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rest = (path: string, init: RequestInit = {}) => fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', connection: 'close', ...init.headers } });

/** `npx @modelcontextprotocol/inspector --cli -e … npm run mcp --silent <args>` with the pinned Node; the parsed JSON result. */
function inspector(user: string, ...args: string[]): { status: number | null; result: any; stderr: string } {
  const env = ['-e', `PGLITE_DIR=${dbDir}`, '-e', `SIGMASIGHT_USER=${user}`, '-e', 'LOG_LEVEL=warn'];
  const r = spawnSync(process.execPath, [INSPECTOR, '--cli', ...env, 'npm', 'run', 'mcp', '--silent', ...args, '--format', 'json', '-q'], { cwd: ROOT, env: baseEnv, encoding: 'utf8', timeout: 60_000 });
  let result: unknown = r.stdout;
  try {
    result = (JSON.parse(r.stdout) as { result?: unknown }).result ?? JSON.parse(r.stdout);
  } catch {
    // left as text for the failure message
  }
  return { status: r.status, result, stderr: r.stderr };
}

function stdioClient(user: string, options: ClientOptions = {}): { client: Client; connect: () => Promise<void> } {
  const client = new Client({ name: 'bridge-test', version: '1' }, options);
  const transport = new StdioClientTransport({ command: process.execPath, args: entryArgs('mcp-server/stdio.ts'), cwd: ROOT, env: { ...baseEnv, PGLITE_DIR: dbDir, SIGMASIGHT_USER: user, LOG_LEVEL: 'warn' }, stderr: 'ignore' });
  return { client, connect: () => client.connect(transport) };
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('npm run mcp bridged to a running npm start', () => {
  beforeAll(async () => {
    await seedPgliteDir(dbDir);
    const port = await freePort();
    server = spawn(process.execPath, entryArgs('api/main.ts'), {
      cwd: ROOT,
      env: { ...baseEnv, PGLITE_DIR: dbDir, PORT: String(port), HOST: '127.0.0.1', BATCH_ON_START: 'false', BATCH_SCHEDULE: 'false', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    for (let i = 0; i < 1200 && typeof readDataDirLock(dbDir)?.info?.['url'] !== 'string'; i++) await sleep(50);
    url = readDataDirLock(dbDir)!.info!['url'] as string;
    expect(url).toBe(`http://127.0.0.1:${port}`);
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify({ email: DEMO.individual.email, password: DEMO_PASSWORD }) });
    token = ((await login.json()) as { access_token: string }).access_token;
  }, 120_000);
  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
  });

  it('the Inspector over stdio lists the same tools as the server\'s /mcp', async () => {
    const http = new Client({ name: 'direct', version: '1' });
    await http.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}`, connection: 'close' } } }));
    const direct = (await http.listTools()).tools.map((t) => t.name).sort();
    await http.close();
    const r = inspector(DEMO.individual.email, '--method', 'tools/list');
    expect(r.status, r.stderr).toBe(0);
    expect((r.result as { tools: { name: string }[] }).tools.map((t) => t.name).sort()).toEqual(direct);
    expect(direct).toContain('list_user_portfolios');
  }, 60_000);

  it('sees what the server holds, and what it writes is the server\'s', async () => {
    const created = await rest('/api/v1/portfolios', { method: 'POST', body: JSON.stringify({ name: 'Made over REST', opening_equity: 1000 }) });
    expect(created.status).toBe(201);
    const madeOverRest = ((await created.json()) as { id: string }).id;
    const listed = inspector(DEMO.individual.email, '--method', 'tools/call', '--tool-name', 'list_user_portfolios');
    expect(listed.status, listed.stderr).toBe(0);
    const ids = (listed.result as CallToolResult & { structuredContent: { portfolios: { id: string }[] } }).structuredContent.portfolios.map((p) => p.id);
    expect(ids).toEqual([DEMO.individual.portfolioId, madeOverRest]);

    const made = inspector(DEMO.individual.email, '--method', 'tools/call', '--tool-name', 'create_portfolio', '--tool-args-json', JSON.stringify({ name: 'Made over stdio', opening_equity: 500 }));
    expect(made.status, made.stderr).toBe(0);
    const mine = ((await (await rest('/api/v1/data/portfolios')).json()) as { name: string }[]).map((p) => p.name);
    expect(mine).toContain('Made over stdio');
  }, 90_000);

  it('serves two stdio clients at once, each as its own user', async () => {
    const a = stdioClient(DEMO.individual.email);
    const b = stdioClient(DEMO.hnw.email);
    await Promise.all([a.connect(), b.connect()]);
    const [ra, rb] = (await Promise.all([a.client.callTool({ name: 'list_user_portfolios', arguments: {} }), b.client.callTool({ name: 'list_user_portfolios', arguments: {} })])) as CallToolResult[];
    expect((ra!.structuredContent as { portfolios: { id: string }[] }).portfolios[0]!.id).toBe(DEMO.individual.portfolioId);
    expect((rb!.structuredContent as { portfolios: { id: string }[] }).portfolios.map((p) => p.id)).toEqual([DEMO.hnw.portfolioId]);
    await Promise.all([a.client.close(), b.client.close()]);
  }, 60_000);

  it('serves a 2026-07-28 client (negotiating, and pinned to that revision) through the bridge', async () => {
    for (const mode of ['auto', { pin: '2026-07-28' }] as const) {
      const c = stdioClient(DEMO.individual.email, { versionNegotiation: { mode } });
      await c.connect();
      expect(c.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      expect(c.client.getServerVersion()?.name).toBe('sigmasight');
      expect((await c.client.listTools()).tools.map((t) => t.name)).toContain('list_user_portfolios');
      const r = (await c.client.callTool({ name: 'list_user_portfolios', arguments: {} })) as CallToolResult;
      expect((r.structuredContent as { portfolios: { id: string }[] }).portfolios[0]!.id).toBe(DEMO.individual.portfolioId);
      // another user's portfolio is not found through the bridge either
      const foreign = (await c.client.callTool({ name: 'get_analytics_overview', arguments: { portfolio_id: DEMO.hnw.portfolioId } })) as CallToolResult;
      expect(foreign.isError).toBe(true);
      expect(JSON.stringify(foreign.content)).toMatch(/NOT_FOUND/);
      await c.client.close();
    }
  }, 60_000);

  it('reports an unknown user as an MCP error the client shows, not a closed connection', async () => {
    const c = stdioClient('nobody@example.com');
    await c.connect();
    expect(c.client.getInstructions()).toMatch(/^SigmaSight could not start: SIGMASIGHT_USER: no active SigmaSight user has the email nobody@example.com\. Fix: /);
    const r = (await c.client.callTool({ name: 'list_user_portfolios', arguments: {} })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(r.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('no active SigmaSight user') });
    await c.client.close();
  }, 60_000);

  it('issues local sessions only for the key in the lock file', async () => {
    const post = (body: unknown) => fetch(`${url}/_local/mcp-session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const key = readDataDirLock(dbDir)!.info!['key'] as string;
    expect((await post({ key: 'A'.repeat(43), email: DEMO.individual.email })).status).toBe(403);
    expect((await post({ email: DEMO.individual.email })).status).toBe(403);
    const unknown = await post({ key, email: 'nobody@example.com' });
    expect(unknown.status).toBe(401);
    const ok = await post({ key, email: DEMO.hnw.email });
    expect(ok.status).toBe(200);
    const session = ((await ok.json()) as { access_token: string }).access_token;
    const me = await fetch(`${url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${session}` } });
    expect(((await me.json()) as { email: string }).email).toBe(DEMO.hnw.email);
  });
});

describe('the lock lookup', () => {
  it('tells a free directory, a server that recorded its URL and another holder apart', async () => {
    const dir = join(root, 'lookup');
    expect(await findLocalServer(dir, { waitMs: 0 })).toEqual({ kind: 'free' });
    const release = lockDataDir(dir);
    try {
      const t0 = Date.now();
      expect(await findLocalServer(dir, { waitMs: 300, pollMs: 50 })).toMatchObject({ kind: 'busy', pid: process.pid });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
      expect(recordDataDirHolder(dir, { url: 'http://127.0.0.1:1', key: 'k' })).toBe(true);
      expect(await findLocalServer(dir, { waitMs: 0 })).toEqual({ kind: 'server', pid: process.pid, server: { url: 'http://127.0.0.1:1', key: 'k' } });
      if (process.platform !== 'win32') expect(statSync(`${dir}.lock`).mode & 0o777).toBe(0o600); // the key is for this OS user only
    } finally {
      release();
    }
    expect(await findLocalServer(dir, { waitMs: 0 })).toEqual({ kind: 'free' });
  });
});
