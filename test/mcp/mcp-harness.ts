/** MCP test plumbing over the shared test helpers: in-process clients acting as demo users, and tool-call shorthands. */
import type { Client, CallToolResult } from '@modelcontextprotocol/client';
import { startSystemRun } from '../../core/batch/service.ts';
import { createLogger } from '../../core/logger.ts';
import { principalForEmail } from '../../core/services/local-principal.ts';
import { connectInProcess, type InProcessMcp } from '../../mcp-server/in-process.ts';
import { batchDeps, DEMO_AS_OF, seededDb, TEST_NOW } from '../helpers/batch.ts';
import type { DbKind, TestDb } from '../helpers/db.ts';

export { DEMO } from '../api/helpers.ts';
export { seededDb };

export const demoClock = () => new Date(`${DEMO_AS_OF}T22:00:00Z`);

export async function mcpFor(db: TestDb, email: string): Promise<InProcessMcp> {
  const principal = await principalForEmail(db.db, email);
  // Runs the tools start go through batch deps of the test's own (their reports in a temporary directory).
  return connectInProcess({ deps: { db: db.db, log: createLogger({ level: 'silent' }), clock: demoClock }, principal, channel: 'agent', batch: batchDeps(db, { clock: demoClock }) }, 'sigmasight-test');
}

/** A seeded database after one full batch run, and an in-process MCP client acting as `email` with that batch runtime. */
export async function batchedMcp(kind: DbKind, email: string): Promise<{ db: TestDb; mcp: InProcessMcp }> {
  const db = await seededDb(kind);
  const svc = batchDeps(db);
  await startSystemRun(svc, { trigger: 'cli' });
  await svc.runner.idle();
  const principal = await principalForEmail(db.db, email);
  const mcp = await connectInProcess({ deps: { db: db.db, log: createLogger({ level: 'silent' }), clock: () => TEST_NOW }, principal, channel: 'agent', batch: svc }, 'sigmasight-test');
  return { db, mcp };
}

export const callTool = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
export const toolText = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
