/**
 * The pool behind /mcp: servers are built once per caller shape and reused, and a borrowed
 * server reads the context of the request it serves — concurrent requests of one caller never see
 * each other's dependencies, and callers with other principals or scopes never share a server.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import type { McpContext } from '../../mcp-server/context.ts';
import { McpServerPool } from '../../mcp-server/http.ts';
import { defineTool, READ_ONLY } from '../../mcp-server/tools/define.ts';

const log = createLogger({ level: 'silent' });

/** A server with one tool answering, after `delay_ms`, the clock and principal of its context. */
function build(ctx: McpContext): McpServer {
  const server = new McpServer({ name: 'pool-test', version: '1' });
  defineTool(server, ctx, {
    name: 'whoami', title: 'Who am I', description: 'context probe', annotations: READ_ONLY,
    input: z.object({ delay_ms: z.number() }), output: z.object({ at: z.string(), user: z.string(), scopes: z.string() }),
    run: async (i, c) => {
      await new Promise((r) => setTimeout(r, i.delay_ms));
      return { at: c.deps.clock().toISOString(), user: c.principal.userId, scopes: (c.allowedScopes ?? ['*']).join(' ') };
    },
    summary: (o) => o.user,
  });
  return server;
}

const ctxFor = (user: string, at: string, allowedScopes?: string[]): McpContext => ({
  deps: { db: {} as never, log, clock: () => new Date(at) },
  principal: { userId: user, email: `${user}@example.test`, role: 'user' },
  channel: 'http',
  ...(allowedScopes ? { allowedScopes } : {}),
});

const call = (id: number, delayMs: number) =>
  new Request('http://pool.test/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'whoami', arguments: { delay_ms: delayMs } } }),
  });

async function answer(pool: McpServerPool, id: number, ctx: McpContext, delayMs = 0) {
  const res = await pool.handle(call(id, delayMs), ctx);
  const body = (await res.json()) as { id: number; result: { structuredContent: { at: string; user: string; scopes: string } } };
  expect(body.id, JSON.stringify(body)).toBe(id);
  expect(body.result.structuredContent, JSON.stringify(body)).toBeDefined();
  return body.result.structuredContent;
}

describe('MCP server pool', () => {
  it('reuses one built server for sequential requests of a caller, each with its own context', async () => {
    const pool = new McpServerPool(build);
    const days = ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09'];
    for (const [i, day] of days.entries()) expect((await answer(pool, i, ctxFor('u1', `${day}T00:00:00.000Z`))).at).toBe(`${day}T00:00:00.000Z`);
    // the server goes back to the pool once its transport closed (a microtask after the response)
    expect(pool.built).toBeLessThanOrEqual(2);
  });

  it('never lets concurrent requests of one caller read each other\'s context', async () => {
    const pool = new McpServerPool(build);
    const ats = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString());
    // decreasing delays, so later requests finish first while earlier ones are still in flight
    const got = await Promise.all(ats.map((at, i) => answer(pool, i, ctxFor('u1', at), (ats.length - i) * 3)));
    expect(got.map((g) => g.at)).toEqual(ats);
    expect(pool.built).toBe(ats.length);
    // and the next wave borrows those servers instead of building more
    const again = await Promise.all(ats.map((at, i) => answer(pool, 100 + i, ctxFor('u1', at), 1)));
    expect(again.map((g) => g.at)).toEqual(ats);
    expect(pool.built).toBeLessThanOrEqual(ats.length + 4);
  });

  it('keeps principals and scopes apart', async () => {
    const pool = new McpServerPool(build);
    const at = '2026-02-02T00:00:00.000Z';
    expect((await answer(pool, 1, ctxFor('u1', at))).user).toBe('u1');
    expect((await answer(pool, 2, ctxFor('u2', at))).user).toBe('u2');
    expect((await answer(pool, 3, ctxFor('u1', at, ['portfolio:read']))).scopes).toBe('portfolio:read');
    expect((await answer(pool, 4, ctxFor('u1', at))).scopes).toBe('*');
    expect(pool.built).toBe(3);
  });

  it('answers GET and DELETE with 405 without building a server', async () => {
    const pool = new McpServerPool(build);
    expect((await pool.handle(new Request('http://pool.test/mcp'), ctxFor('u1', '2026-01-01'))).status).toBe(405);
    expect(pool.built).toBe(0);
  });
});
