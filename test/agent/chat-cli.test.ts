/** `npm run chat`: bad arguments and an unreachable server exit non-zero with one message; a real server streams an answer. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, DEMO } from '../api/helpers.ts';
import type { TestDb } from '../helpers/db.ts';
import { ROOT } from '../helpers/run.ts';
import { seededDb } from '../mcp/mcp-harness.ts';

const TSX = `${ROOT}node_modules/tsx/dist/cli.mjs`;

async function chat(args: string[], url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, [TSX, 'scripts/chat.ts', ...args], { cwd: ROOT, env: { PATH: process.env['PATH'], HOME: process.env['HOME'], SIGMASIGHT_URL: url }, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('chat command', () => {
  let db: TestDb;
  let server: ServerType;
  let url = '';
  beforeAll(async () => {
    db = await seededDb('pglite');
    const app = buildApp(db); // no OPENAI_* variables: the offline responder answers
    url = await new Promise<string>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(`http://127.0.0.1:${info.port}`));
    });
  });
  afterAll(async () => {
    server.close();
    await db.destroy();
  });

  it('refuses a missing message and conflicting options with usage and exit 2', async () => {
    const none = await chat([], url);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/a message is required[\s\S]*usage: npm run chat/);
    const both = await chat(['hi', '--portfolio', DEMO.individual.portfolioId, '--conversation', 'x'], url);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('either --portfolio or --conversation');
  });

  it('says when the server cannot be reached, exit 1', async () => {
    const r = await chat(['hi'], 'http://127.0.0.1:9');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach SigmaSight at http:\/\/127\.0\.0\.1:9/);
  });

  it("logs in as the demo user, streams the answer on stdout and tool activity on stderr", async () => {
    const r = await chat(['Which portfolios do I have?'], url);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('without a language model');
    expect(r.stdout).toContain(DEMO.individual.portfolioId);
    expect(r.stderr).toMatch(/\[tool\] list_user_portfolios ok, 1 rows/);
    expect(r.stderr).toMatch(/continue with --conversation [0-9a-f-]{36}/);
  });

  it('a foreign portfolio exits 1 with the server detail', async () => {
    const r = await chat(['hi', '--portfolio', DEMO.hnw.portfolioId], url);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/answered 404: portfolio .* not found/);
  });
});
