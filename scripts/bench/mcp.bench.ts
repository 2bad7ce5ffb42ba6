/**
 * Benchmark: MCP tool-call overhead. A trivial tool (echo, no database work) is registered beside
 * the real catalogue and called through (1) the in-process linked transport the chat agent uses
 * and (2) Streamable HTTP on 127.0.0.1 (a fresh stateless server per request, as /mcp runs).
 * Reports p50 and p99 per call; the goal is under 1 ms p50 in process.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from '@hono/zod-openapi';
import { createDb } from '../../db/client.ts';
import { createLogger } from '../../core/logger.ts';
import type { McpContext } from '../../mcp-server/context.ts';
import { handleMcpHttp } from '../../mcp-server/http.ts';
import { createMcpServer } from '../../mcp-server/server.ts';
import { defineTool, READ_ONLY } from '../../mcp-server/tools/define.ts';
import type { BenchRow, BenchSuite } from './lib.ts';

const CALLS = 2_000;

function withEcho(ctx: McpContext): McpServer {
  const server = createMcpServer(ctx);
  defineTool(server, ctx, {
    name: 'bench_echo', title: 'Echo', description: 'Returns its input.', annotations: READ_ONLY,
    input: z.object({ n: z.number() }), output: z.object({ n: z.number() }),
    run: async (i) => ({ n: i.n }), summary: (o) => `n=${o.n}`,
  });
  return server;
}

async function latencies(client: Client, calls: number): Promise<{ p50: number; p99: number; total: number }> {
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const s = performance.now();
    await client.callTool({ name: 'bench_echo', arguments: { n: i } });
    times.push(performance.now() - s);
  }
  const total = performance.now() - t0;
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)]!, p99: times[Math.floor(times.length * 0.99)]!, total };
}

const row = (name: string, r: { p50: number; p99: number; total: number }, calls: number): BenchRow => ({
  name, unit: 'call', units: calls, medianMs: r.total, extra: { p50: `${(r.p50 * 1000).toFixed(0)} µs`, p99: `${(r.p99 * 1000).toFixed(0)} µs` },
});

const suite: BenchSuite = {
  name: 'MCP tool-call overhead (trivial tool)',
  async run() {
    const dbh = createDb({ pgliteDir: 'memory://' });
    const ctx: McpContext = { deps: { db: dbh.db, log: createLogger({ level: 'silent' }), clock: () => new Date() }, principal: { userId: '00000000-0000-0000-0000-000000000000', email: 'bench@sigmasight.dev', role: 'user' }, channel: 'agent' };
    const rows: BenchRow[] = [];

    const http = serve({ port: 0, hostname: '127.0.0.1', fetch: (req) => handleMcpHttp(req, { ...ctx, channel: 'http' }, withEcho) });
    await new Promise((r) => http.once('listening', r));
    const port = (http.address() as AddressInfo).port;
    const remote = new Client({ name: 'bench-http', version: '1' });
    await remote.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
    await remote.listTools();
    await latencies(remote, 200);
    rows.push(row(`Streamable HTTP round trip, ${CALLS / 4} sequential calls`, await latencies(remote, CALLS / 4), CALLS / 4));
    await remote.close();
    http.close();
    const server = withEcho(ctx);
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'bench', version: '1' });
    await Promise.all([server.connect(b), client.connect(a)]);
    await client.listTools();
    await latencies(client, 500);
    rows.push(row(`in process, ${CALLS} sequential calls`, await latencies(client, CALLS), CALLS));
    await client.close();

    await dbh.close();
    return rows;
  },
};

export default suite;
