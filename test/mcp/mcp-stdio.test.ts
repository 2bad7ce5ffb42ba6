/**
 * The tool catalogue over stdio, as Claude Desktop runs it: the SDK's stdio client spawns
 * `mcp-server/stdio.ts` (what `npm run mcp` runs) on an embedded database that one batch run
 * has filled, acting as SIGMASIGHT_USER. The client speaks the 2026-07-28 revision (the catalogue
 * over HTTP and in process runs on the 2025 revisions), so both eras are served over stdio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystemRun } from '../../core/batch/service.ts';
import { createDb } from '../../db/client.ts';
import { batchDeps } from '../helpers/batch.ts';
import { seedPgliteDir, type TestDb } from '../helpers/db.ts';
import { entryArgs, ROOT } from '../helpers/run.ts';
import { defineCatalogueTests } from './catalogue-suite.ts';
import { DEMO } from './mcp-harness.ts';

describe('MCP tool catalogue over stdio', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigmasight-stdio-'));
  let client: Client;
  beforeAll(async () => {
    await seedPgliteDir(join(dir, 'db'));
    const handle = createDb({ pgliteDir: join(dir, 'db') });
    const svc = batchDeps({ ...handle, destroy: () => handle.close() } as TestDb);
    await startSystemRun(svc, { trigger: 'cli' });
    await svc.runner.idle();
    await handle.close();
    client = new Client({ name: 'catalogue-stdio', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StdioClientTransport({
      command: process.execPath,
      args: entryArgs('mcp-server/stdio.ts'),
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', PGLITE_DIR: join(dir, 'db'), SIGMASIGHT_USER: DEMO.individual.email, LOG_LEVEL: 'silent', BATCH_SCHEDULE: 'off' },
      stderr: 'ignore',
    }));
  }, 300_000);
  afterAll(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('negotiated the 2026-07-28 revision', () => {
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(client.getServerVersion()?.name).toBe('sigmasight');
  });

  defineCatalogueTests(() => client);
});
