/**
 * Every MCP tool has the scope its declaration implies (mcp-server/scopes.ts): read-only tools
 * need portfolio:read, book writes (approval metadata or any non-read-only hints) portfolio:write,
 * the batch start batch:run, and no tool that is not read-only is reachable with portfolio:read
 * alone. A server limited to some scopes lists exactly the tools they cover. Checked over the
 * tools registered now, so a tool added later is covered without editing this test.
 */
import type { Tool } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { connectInProcess } from '../../mcp-server/in-process.ts';
import { MCP_SCOPES, missingScopes, scopeForTool, toolScopesOf, type McpScope } from '../../mcp-server/scopes.ts';
import { createMcpServer } from '../../mcp-server/server.ts';
import type { McpContext } from '../../mcp-server/context.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { DEMO } from '../api/helpers.ts';

describe('tool scopes', () => {
  let db: TestDb;
  let ctx: McpContext;
  let tools: Tool[];
  beforeAll(async () => {
    db = await createTestDb('pglite');
    ctx = { deps: { db: db.db, log: createLogger({ level: 'silent' }), clock: () => new Date() }, principal: { userId: DEMO.hnw.userId, email: DEMO.hnw.email, role: 'user' }, channel: 'http' };
    const mcp = await connectInProcess(ctx, 'scopes-test');
    tools = (await mcp.client.listTools()).tools;
    await mcp.close();
  });
  afterAll(() => db?.destroy());

  const listed = async (allowedScopes: readonly McpScope[]) => {
    const mcp = await connectInProcess({ ...ctx, allowedScopes }, 'scopes-test');
    const names = (await mcp.client.listTools()).tools.map((t) => t.name).sort();
    await mcp.close();
    return names;
  };

  it('gives every registered tool a scope that matches its declaration', () => {
    const table = toolScopesOf(createMcpServer({ ...ctx, allowedScopes: MCP_SCOPES }));
    expect(tools.length).toBeGreaterThan(20);
    expect([...table.keys()].sort()).toEqual(tools.map((t) => t.name).sort());
    for (const t of tools) {
      const scope = table.get(t.name)!;
      expect(scope, t.name).toBe(scopeForTool(t.name, t));
      if (t.annotations?.readOnlyHint === true) expect(scope, t.name).toBe('portfolio:read');
      else expect(scope, `${t.name} is not read-only`).not.toBe('portfolio:read');
      if (t._meta?.['sigmasight.dev/requires-approval'] === true) expect(scope, t.name).toBe('portfolio:write');
    }
    expect(table.get('run_portfolio_batch')).toBe('batch:run');
    expect(table.get('preview_import')).toBe('portfolio:write');
    expect(table.get('add_position')).toBe('portfolio:write');
    expect(table.get('list_user_portfolios')).toBe('portfolio:read');
    expect(scopeForTool('undeclared_tool', {})).toBe('portfolio:write');
  });

  it('lists exactly the tools the scopes cover', async () => {
    const byScope = (s: McpScope[]) => tools.filter((t) => s.includes(scopeForTool(t.name, t))).map((t) => t.name).sort();
    for (const allowed of [['portfolio:read'], ['batch:run'], ['portfolio:read', 'portfolio:write'], ['portfolio:read', 'batch:run'], [...MCP_SCOPES]] as McpScope[][]) {
      expect(await listed(allowed), allowed.join(' ')).toEqual(byScope(allowed));
    }
    expect(await listed(['batch:run'])).toContain('run_portfolio_batch');
    expect(await listed(['portfolio:read'])).not.toContain('run_portfolio_batch');
  });

  it('names the scopes a JSON-RPC body needs beyond the token', () => {
    const table = new Map<string, McpScope>([['add_position', 'portfolio:write'], ['run_portfolio_batch', 'batch:run'], ['get_risk_metrics', 'portfolio:read']]);
    const call = (name: string) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name } });
    expect(missingScopes(call('add_position'), table, ['portfolio:read'])).toEqual(['portfolio:write']);
    expect(missingScopes(call('get_risk_metrics'), table, ['portfolio:read'])).toEqual([]);
    expect(missingScopes([call('run_portfolio_batch'), call('add_position')], table, ['portfolio:read'])).toEqual(['portfolio:write', 'batch:run']);
    expect(missingScopes({ jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'sigmasight://portfolios' } }, table, ['batch:run'])).toEqual(['portfolio:read']);
    expect(missingScopes({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, table, [])).toEqual([]);
    expect(missingScopes(null, table, [])).toEqual([]);
  });
});
