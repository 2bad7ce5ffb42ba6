/**
 * `npm run mcp:claude` writes a Claude Desktop entry that starts where npm is not on PATH: the
 * entry is merged into an existing config (other servers and settings kept, the old file backed
 * up) with absolute paths to the pinned Node, tsx's loader and the stdio server; then the entry's
 * command is started exactly as written with a PATH holding neither node nor npm, and answers
 * initialize, tools/list and a tool call over stdio.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../api/helpers.ts';
import { seedPgliteDir } from '../helpers/db.ts';
import { ROOT, runTs } from '../helpers/run.ts';

const root = mkdtempSync(join(tmpdir(), 'sigmasight-claude-'));
const dbDir = join(root, 'db');
const configPath = join(root, 'Claude', 'claude_desktop_config.json');
const before = { globalShortcut: 'Ctrl+Space', mcpServers: { filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] } } };

interface Entry {
  command: string;
  args: string[];
  env: Record<string, string>;
}

describe('npm run mcp:claude', () => {
  let config: { globalShortcut: string; mcpServers: Record<string, Entry> };
  beforeAll(async () => {
    await seedPgliteDir(dbDir);
    mkdirSync(join(root, 'Claude'));
    writeFileSync(configPath, JSON.stringify(before));
    const r = runTs('scripts/mcp-claude.ts', ['--config', configPath, '--user', DEMO.hnw.email, '--env', `PGLITE_DIR=${dbDir}`, '--env', 'LOG_LEVEL=warn'], {});
    expect(r.status, r.stderr).toBe(0);
    config = JSON.parse(readFileSync(configPath, 'utf8')) as typeof config;
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('merges its entry with absolute paths and keeps the rest, backed up', () => {
    expect(config.globalShortcut).toBe('Ctrl+Space');
    expect(config.mcpServers['filesystem']).toEqual(before.mcpServers.filesystem);
    const entry = config.mcpServers['sigmasight']!;
    expect(entry.command).toBe(join(ROOT, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node'));
    expect(entry.args).toEqual(['--import', join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(ROOT, 'mcp-server', 'stdio.ts')]);
    for (const p of [entry.command, ...entry.args.slice(1)]) expect(isAbsolute(p) && existsSync(p), p).toBe(true);
    expect(entry.env).toEqual({ SIGMASIGHT_USER: DEMO.hnw.email, PGLITE_DIR: dbDir, LOG_LEVEL: 'warn' });
    const backups = readdirSync(join(root, 'Claude')).filter((f) => f.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(root, 'Claude', backups[0]!), 'utf8'))).toEqual(before);
  });

  it('--print writes nothing', () => {
    const r = runTs('scripts/mcp-claude.ts', ['--print', '--config', join(root, 'untouched.json')], {});
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { mcpServers: Record<string, Entry> }).mcpServers['sigmasight']!.command).toBe(config.mcpServers['sigmasight']!.command);
    expect(existsSync(join(root, 'untouched.json'))).toBe(false);
  });

  it('starts as configured on a PATH without node or npm, and serves the tools', async () => {
    const bare = join(root, 'bare-bin');
    mkdirSync(bare);
    const entry = config.mcpServers['sigmasight']!;
    const client = new Client({ name: 'claude-desktop-like', version: '1' });
    // Claude Desktop passes the entry's env over a minimal environment and starts from its own cwd
    await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, env: { ...entry.env, PATH: bare, HOME: root }, cwd: root, stderr: 'ignore' }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['list_user_portfolios', 'get_analytics_overview', 'get_positions_details']));
      const r = (await client.callTool({ name: 'list_user_portfolios', arguments: {} })) as CallToolResult;
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      expect((r.structuredContent as { portfolios: { id: string }[] }).portfolios.map((p) => p.id)).toEqual([DEMO.hnw.portfolioId]);
    } finally {
      await client.close();
    }
  }, 120_000);
});
