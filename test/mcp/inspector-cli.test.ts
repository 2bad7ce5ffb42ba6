/**
 * The MCP Inspector CLI (@modelcontextprotocol/inspector-cli) drives `npm run mcp`'s entry over
 * stdio as an outside client would: it lists the tools and calls list_user_portfolios.
 * The CLI resolves its own package.json relative to the working directory, so it runs from test/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPgliteDir } from '../helpers/db.ts';
import { ROOT } from '../helpers/run.ts';

const dir = mkdtempSync(join(tmpdir(), 'sigmasight-inspector-'));
const INSPECTOR = join(ROOT, 'node_modules/@modelcontextprotocol/inspector-cli/build/cli.js');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');

function inspect(...args: string[]): { status: number | null; json: unknown; stderr: string } {
  const env = ['-e', `PGLITE_DIR=${join(dir, 'db')}`, '-e', 'SIGMASIGHT_USER=demo_hnw@sigmasight.com', '-e', 'LOG_LEVEL=silent'];
  const r = spawnSync(process.execPath, [INSPECTOR, '--cli', ...env, process.execPath, TSX, join(ROOT, 'mcp-server/stdio.ts'), ...args], {
    cwd: join(ROOT, 'test'),
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'] },
    encoding: 'utf8',
    timeout: 170_000,
  });
  let json: unknown = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = r.stdout;
  }
  return { status: r.status, json, stderr: r.stderr };
}

describe('MCP Inspector CLI against the stdio server', () => {
  beforeAll(() => seedPgliteDir(join(dir, 'db')));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the tools with their schemas', () => {
    const r = inspect('--method', 'tools/list');
    expect(r.status, r.stderr).toBe(0);
    const tools = (r.json as { tools: { name: string; inputSchema: unknown; outputSchema: unknown }[] }).tools;
    expect(tools.map((t) => t.name)).toContain('list_user_portfolios');
    for (const t of tools) expect(t.outputSchema, t.name).toBeTruthy();
  }, 180_000);

  it('calls list_user_portfolios as the configured user', () => {
    const r = inspect('--method', 'tools/call', '--tool-name', 'list_user_portfolios');
    expect(r.status, r.stderr).toBe(0);
    const out = (r.json as { structuredContent: { portfolios: { id: string; position_count: number }[] } }).structuredContent;
    expect(out.portfolios).toEqual([expect.objectContaining({ id: 'e23ab931-a033-edfe-ed4f-9d02474780b4', position_count: 17 })]);
  }, 180_000);
});
