/**
 * The batch as a long-running call: a client that asks for progress over the in-process
 * connection hears one notification per finished phase, in order, up to the run's total, and gets
 * the finished run back; the same call without a progress token returns at once with the job id.
 * The phase count is checked against get_batch_status of the same run, not against the tool.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessMcp } from '../../mcp-server/in-process.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { DEMO, mcpFor } from './mcp-harness.ts';

describe('run_portfolio_batch with progress [pglite]', () => {
  let db: TestDb;
  let mcp: InProcessMcp;
  beforeAll(async () => {
    db = await createTestDb('pglite', { seeded: true });
    mcp = await mcpFor(db, DEMO.individual.email);
  });
  afterAll(async () => {
    await mcp?.close();
    await db?.destroy();
  });

  it('reports each finished phase and returns the finished run', async () => {
    const seen: { progress: number; total?: number; message?: string }[] = [];
    const r = (await mcp.client.callTool({ name: 'run_portfolio_batch', arguments: { portfolio_id: DEMO.individual.portfolioId, force: true } }, {
      onprogress: (p) => void seen.push(p),
      timeout: 240_000,
      resetTimeoutOnProgress: true,
    })) as CallToolResult;
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    const out = r.structuredContent as { job_id: string; status: string };
    expect(['succeeded', 'partial']).toContain(out.status);
    const status = (await mcp.client.callTool({ name: 'get_batch_status', arguments: { job_id: out.job_id } })).structuredContent as { status: string; progress: { total: number; done: number; failed: number } };
    expect(status.status).toBe(out.status);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    // progress never goes back; only the closing notification may repeat the count of the last phase
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThanOrEqual(seen[i - 1]!.progress);
    expect(new Set(seen.slice(0, -1).map((p) => p.progress)).size).toBe(seen.length - 1);
    const last = seen.at(-1)!;
    expect(last.progress).toBe(status.progress.done + status.progress.failed);
    expect(last.total).toBe(status.progress.total);
    expect(last.message).toBe(`run ${out.status}`);
  }, 300_000);

  it('returns at once with the job id when the client asks for no progress', async () => {
    const r = (await mcp.client.callTool({ name: 'run_portfolio_batch', arguments: { portfolio_id: DEMO.individual.portfolioId, force: true } })) as CallToolResult;
    const out = r.structuredContent as { job_id: string; status: string };
    expect(['queued', 'running']).toContain(out.status);
    expect(out.job_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
