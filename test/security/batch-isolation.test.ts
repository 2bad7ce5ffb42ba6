/**
 * A batch run over every user's portfolios, as each demo user sees it: over REST
 * (`/admin/batch/jobs/{id}`, `/admin/batch/jobs/status`) and over MCP (`get_batch_status`) no
 * answer carries another user's portfolio ids or a symbol only another user holds (the HNW user
 * must not see the Individual user's fund proxies); the run's status, warnings and error are
 * derived from the caller's own portfolios.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSystemRun, type BatchServiceDeps } from '../../core/batch/service.ts';
import { createLogger } from '../../core/logger.ts';
import { principalForEmail } from '../../core/services/local-principal.ts';
import { symbolsOfPortfolios } from '../../db/queries/batch-portfolios.ts';
import { connectInProcess } from '../../mcp-server/in-process.ts';
import { batchDeps, TEST_NOW } from '../helpers/batch.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { buildApp, DEMO, get, login, seededApp, type TestApp } from '../api/helpers.ts';
import { callTool } from '../mcp/mcp-harness.ts';

const USERS = Object.values(DEMO);

describeEachDb('a shared batch run seen by each user', (kind) => {
  let db: TestDb;
  let app: TestApp;
  let batch: BatchServiceDeps;
  let runId: string;
  const foreignSymbols = new Map<string, string[]>();
  beforeAll(async () => {
    ({ db } = await seededApp(kind));
    batch = batchDeps(db);
    app = buildApp(db, {}, { batch });
    runId = (await startSystemRun(batch, { trigger: 'cli', skipReports: true })).run_id;
    await batch.runner.idle();
    for (const u of USERS) {
      const own = await symbolsOfPortfolios(db.db, [u.portfolioId]);
      const others = await symbolsOfPortfolios(db.db, USERS.filter((o) => o !== u).map((o) => o.portfolioId));
      foreignSymbols.set(u.email, [...others].filter((s) => !own.has(s)));
    }
  }, 300_000);
  afterAll(() => db.destroy());

  /** Foreign portfolio ids and foreign symbols (as whole words) found in `text`. */
  function leaks(email: string, text: string): string[] {
    const ids = USERS.filter((u) => u.email !== email).flatMap((u) => [u.portfolioId, u.userId]).filter((id) => text.includes(id));
    const symbols = foreignSymbols.get(email)!.filter((s) => new RegExp(`(^|[^A-Za-z0-9])${s.replace(/[.^=]/g, '\\$&')}([^A-Za-z0-9]|$)`).test(text));
    return [...ids, ...symbols];
  }

  it('names the Individual user’s fund proxies in their own view (so a leak to others would show)', async () => {
    const full = JSON.stringify(await get(app, `/api/v1/admin/batch/jobs/${runId}`, await login(app, DEMO.individual.email)));
    expect(foreignSymbols.get(DEMO.hnw.email)!.length).toBeGreaterThan(0);
    expect(full).toMatch(/FCNTX|FMAGX|FXNAX/);
  });

  it.each(USERS.map((u) => u.email))('shows %s only their own portfolios and symbols over REST', async (email) => {
    const token = await login(app, email);
    const status = await get(app, `/api/v1/admin/batch/jobs/${runId}`, token);
    expect(status.status).toBe(200);
    expect(leaks(email, JSON.stringify(status.body))).toEqual([]);
    expect(status.body.portfolios.map((p: { portfolio_id: string }) => p.portfolio_id)).toEqual([USERS.find((u) => u.email === email)!.portfolioId]);
    const list = await get(app, '/api/v1/admin/batch/jobs/status', token);
    expect(list.status).toBe(200);
    expect(leaks(email, JSON.stringify(list.body))).toEqual([]);
    const mine = status.body.portfolios[0].phases as { status: string }[];
    if (mine.every((p) => p.status === 'succeeded')) expect(status.body.status).toBe('succeeded');
  });

  it.each(USERS.map((u) => u.email))('shows %s only their own portfolios and symbols over MCP', async (email) => {
    const principal = await principalForEmail(db.db, email);
    const { client, close } = await connectInProcess({ deps: { db: db.db, log: createLogger({ level: 'silent' }), clock: () => TEST_NOW }, principal, channel: 'agent', batch }, 'sigmasight-test');
    try {
      const res = await callTool(client, 'get_batch_status', { job_id: runId, run_id: null });
      expect(res.isError).toBeFalsy();
      expect(leaks(email, JSON.stringify(res))).toEqual([]);
    } finally {
      await close();
    }
  });
});
