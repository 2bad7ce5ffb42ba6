/** A seeded test database and in-process MCP clients acting as each demo user. */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startSystemRun } from '../../core/batch/service.ts';
import { prepareDatabase } from '../../core/bootstrap.ts';
import { createLogger } from '../../core/logger.ts';
import { principalForEmail } from '../../core/services/local-principal.ts';
import { connectInProcess, type InProcessMcp } from '../../mcp-server/in-process.ts';
import { batchDeps, seededDb as seededBatchDb, TEST_NOW } from '../helpers/batch.ts';
import { createTestDb, type DbKind, type TestDb } from '../helpers/db.ts';

export const DEMO = {
  individual: { email: 'demo_individual@sigmasight.com', portfolioId: '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe' },
  hnw: { email: 'demo_hnw@sigmasight.com', portfolioId: 'e23ab931-a033-edfe-ed4f-9d02474780b4' },
  hedge: { email: 'demo_hedgefundstyle@sigmasight.com', portfolioId: 'fcd71196-e93e-f000-5a74-31a9eead3118' },
} as const;

/** The demo as-of date: the last day of the bundled data. */
export const DEMO_AS_OF = '2026-07-13';
export const demoClock = () => new Date(`${DEMO_AS_OF}T22:00:00Z`);

export async function seededDb(kind: DbKind): Promise<TestDb> {
  const db = await createTestDb(kind);
  await prepareDatabase(db, { seed: true });
  return db;
}

export async function mcpFor(db: TestDb, email: string): Promise<InProcessMcp> {
  const principal = await principalForEmail(db.db, email);
  return connectInProcess({ deps: { db: db.db, log: createLogger({ level: 'silent' }), clock: demoClock }, principal, channel: 'agent' }, 'sigmasight-test');
}

/** A seeded database after one full batch run, and an in-process MCP client acting as `email` with that batch runtime. */
export async function batchedMcp(kind: DbKind, email: string): Promise<{ db: TestDb; mcp: InProcessMcp }> {
  const db = await seededBatchDb(kind);
  const svc = batchDeps(db);
  await startSystemRun(svc, { trigger: 'cli' });
  await svc.runner.idle();
  const principal = await principalForEmail(db.db, email);
  const mcp = await connectInProcess({ deps: { db: db.db, log: createLogger({ level: 'silent' }), clock: () => TEST_NOW }, principal, channel: 'agent', batch: svc }, 'sigmasight-test');
  return { db, mcp };
}

export const callTool = async (mcp: InProcessMcp, name: string, args: Record<string, unknown>) => (await mcp.client.callTool({ name, arguments: args })) as CallToolResult;
export const toolText = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
