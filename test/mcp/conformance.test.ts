/**
 * The official MCP conformance suite (`@modelcontextprotocol/conformance`) against a started
 * SigmaSight server on the seeded demo database. The suite's CLI sends no headers of its own, so
 * a small forwarding proxy adds the bearer token of a demo user and passes everything else (Host
 * and Origin included) through unchanged. Scenarios that need the suite's fixture tools,
 * resources or prompts, sampling, elicitation or subscriptions do not apply (README, "MCP
 * conformance"); `completion-complete` asks about the suite's fixture prompt, which SigmaSight
 * does not have and completes to no values, as the completion utility allows.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { buildApp, DEMO, login } from '../api/helpers.ts';

const CLI = join(process.cwd(), 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'resources-list', 'prompts-list', 'tools-call-error', 'logging-set-level', 'completion-complete', 'dns-rebinding-protection'];
const run = promisify(execFile);

/** Forwards every request to `target`, adding `Authorization: Bearer <token>`. */
function bearerProxy(targetPort: number, token: string): Promise<Server> {
  const proxy = createServer((req, res) => {
    const upstream = httpRequest({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: { ...req.headers, authorization: `Bearer ${token}` } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(proxy)));
}

interface Check { id?: string; name?: string; status: string; errorMessage?: string }

/** Every checks.json the CLI wrote under `dir`. */
function readChecks(dir: string): Check[] {
  const out: Check[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...readChecks(p));
    else if (entry === 'checks.json') out.push(...(JSON.parse(readFileSync(p, 'utf8')) as Check[]));
  }
  return out;
}

describe('MCP conformance suite [pglite]', () => {
  let db: TestDb;
  let api: ServerType;
  let proxy: Server;
  let url: string;
  const outDir = mkdtempSync(join(tmpdir(), 'sigmasight-conformance-'));
  beforeAll(async () => {
    db = await createTestDb('pglite', { seeded: true });
    const app = buildApp(db);
    api = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const token = await login(app, DEMO.hedge.email);
    proxy = await bearerProxy((api.address() as AddressInfo).port, token);
    url = `http://localhost:${(proxy.address() as AddressInfo).port}/mcp`;
  });
  afterAll(async () => {
    proxy?.close();
    await new Promise((r) => api?.close(r));
    await db?.destroy();
    rmSync(outDir, { recursive: true, force: true });
  });

  it.each(SCENARIOS)('passes %s', async (scenario) => {
    const dir = join(outDir, scenario);
    const res = await run(process.execPath, [CLI, 'server', '--url', url, '--scenario', scenario, '-o', dir], { timeout: 60_000 }).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr ?? '' }));
    const checks = readChecks(dir);
    expect(checks.length, `${scenario} wrote no checks: ${res.stdout}${res.stderr}`).toBeGreaterThan(0);
    const failed = checks.filter((c) => c.status === 'FAILURE' || c.status === 'FAILED' || c.status === 'ERROR');
    expect(failed, JSON.stringify(failed, null, 1)).toEqual([]);
    expect(checks.some((c) => c.status === 'SUCCESS' || c.status === 'PASSED')).toBe(true);
  });
});
