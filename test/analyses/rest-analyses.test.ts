/**
 * The second-wave analytics routes over REST, on each database, after one batch run: every GET
 * answers each demo user's own portfolio with stored results and their provenance, and another
 * user's portfolio with 404; a user window equal to the named Covid window replays to the stored
 * figures; bad windows and unknown comparison symbols are 422 naming the field; a cookie-only
 * POST needs the CSRF proof.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSystemRun } from '../../core/batch/service.ts';
import { HistoricalReplaysSchema, MonteCarloVarSchema, PerformanceSchema, RiskContributionsSchema, VarBacktestSchema } from '../../core/contracts/risk-analyses.ts';
import { DEMO, DEMO_AS_OF, DEMO_PASSWORD, get, login, seededApp, type AppFixture } from '../api/helpers.ts';
import { batchDeps } from '../helpers/batch.ts';
import { describeEachDb } from '../helpers/db.ts';

const base = (id: string) => `/api/v1/analytics/portfolio/${id}`;
/** Route → its contract and the field that carries the payload. */
const ROUTES = [
  ['var-backtest', VarBacktestSchema, 'backtest'],
  ['historical-replays', HistoricalReplaysSchema, 'replays'],
  ['risk-contributions', RiskContributionsSchema, 'contributions'],
  ['monte-carlo-var', MonteCarloVarSchema, 'monte_carlo'],
  ['performance', PerformanceSchema, 'performance'],
] as const;
const USERS = [DEMO.individual, DEMO.hnw, DEMO.hedge];
const COVID = { start_date: '2020-02-19', end_date: '2020-03-23' };

describeEachDb('second-wave analytics over REST', (kind) => {
  let fx: AppFixture;
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    fx = await seededApp(kind);
    const deps = batchDeps(fx.db);
    await startSystemRun(deps, { trigger: 'cli', skipReports: true });
    await deps.runner.idle();
    for (const u of USERS) tokens.set(u.email, await login(fx.app, u.email));
  }, 180_000);
  afterAll(() => fx.db.destroy());

  const post = async (id: string, body: unknown, token: string) => {
    const res = await fx.app.request(`${base(id)}/historical-replays`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
  };
  const tokenOf = (u: (typeof USERS)[number]) => tokens.get(u.email)!;

  it('answers every route for each demo user\'s own portfolio with stored results, as_of, run id and data quality', async () => {
    const runIds = new Set<string>();
    for (const u of USERS) {
      for (const [route, schema, field] of ROUTES) {
        const r = await get(fx.app, `${base(u.portfolioId)}/${route}`, tokenOf(u));
        expect(r.status, `${u.email} ${route}`).toBe(200);
        const body = schema.parse(r.body) as Record<string, unknown>;
        expect(body, `${u.email} ${route}`).toMatchObject({ available: true, reason: null, portfolio_id: u.portfolioId, as_of: DEMO_AS_OF, stale: false });
        expect(body['run_id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(body['data_quality']).not.toBeNull();
        expect(body[field], `${u.email} ${route}`).not.toBeNull();
        runIds.add(body['run_id'] as string);
      }
    }
    expect(runIds.size).toBe(1); // one batch run wrote them all
  });

  it("answers another user's portfolio with 404 problem+json on every route, GET and POST", async () => {
    const me = tokenOf(DEMO.individual);
    for (const [route] of ROUTES) {
      const r = await get(fx.app, `${base(DEMO.hedge.portfolioId)}/${route}`, me);
      expect(r.status, route).toBe(404);
      expect(r.headers.get('content-type'), route).toBe('application/problem+json');
      expect(r.body, route).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      expect(JSON.stringify(r.body)).not.toContain('Hedge Fund');
    }
    const p = await post(DEMO.hedge.portfolioId, COVID, me);
    expect(p).toMatchObject({ status: 404, type: 'application/problem+json', body: { code: 'NOT_FOUND' } });
  });

  it('POST historical-replays over the Covid window dates gives the stored named Covid window\'s figures', async () => {
    for (const u of USERS) {
      const stored = (await get(fx.app, `${base(u.portfolioId)}/historical-replays`, tokenOf(u))).body;
      const covid = stored.replays.windows.find((w: { key: string }) => w.key === 'covid_crash');
      const r = await post(u.portfolioId, { ...COVID, name: 'March 2020 again' }, tokenOf(u));
      expect(r.status, u.email).toBe(200);
      const body = HistoricalReplaysSchema.parse(r.body);
      expect(body).toMatchObject({ available: true, as_of: DEMO_AS_OF, portfolio_id: u.portfolioId });
      expect(body.replays!.windows).toHaveLength(1);
      const { key, name, ...figures } = body.replays!.windows[0]!;
      expect({ key, name }).toEqual({ key: 'custom', name: 'March 2020 again' });
      const { key: _k, name: _n, ...expected } = covid;
      expect(figures, u.email).toEqual(expected);
      expect(body.replays!.nav).toBe(stored.replays.nav);
    }
  });

  it('refuses bad windows with 422 problem+json naming the field', async () => {
    const me = tokenOf(DEMO.individual);
    const id = DEMO.individual.portfolioId;
    const cases: [unknown, string][] = [
      [{ start_date: '2020-03-23', end_date: '2020-02-19' }, 'end_date'], // end before start
      [{ start_date: '2020-03-23', end_date: '2020-03-23' }, 'end_date'], // empty window
      [{ start_date: '2020-02-22', end_date: '2020-02-23' }, 'end_date'], // a weekend: no trading day after the base close
      [{ start_date: '2019-06-03', end_date: '2019-07-01' }, 'start_date'], // before the stored history (2020-01-02)
      [{ start_date: '2026-06-01', end_date: '2026-08-03' }, 'end_date'], // after the results date
      [{ start_date: '2020-13-01', end_date: '2020-03-23' }, 'start_date'], // no month 13
      [{ start_date: '2020/02/19', end_date: '2020-03-23' }, 'start_date'],
      [{ start_date: '2020-02-19', end_date: 20200323 }, 'end_date'],
      [{ end_date: '2020-03-23' }, 'start_date'],
    ];
    for (const [body, field] of cases) {
      const r = await post(id, body, me);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.type).toBe('application/problem+json');
      expect(r.body.status).toBe(422);
      expect(r.body.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(field);
    }
  });

  it('performance?symbols=QQQ adds a QQQ comparison beside the stored benchmark; an unknown or malformed symbol is 422', async () => {
    const me = tokenOf(DEMO.hnw);
    const id = DEMO.hnw.portfolioId;
    const stored = PerformanceSchema.parse((await get(fx.app, `${base(id)}/performance`, me)).body).performance!;
    const r = await get(fx.app, `${base(id)}/performance?symbols=QQQ`, me);
    expect(r.status).toBe(200);
    const p = PerformanceSchema.parse(r.body).performance!;
    expect(p.comparisons.map((c) => c.benchmark)).toEqual(['SPY', 'QQQ']);
    // The same NAV series and window: the benchmark figures and the portfolio's own return are the stored ones.
    expect(p.comparisons[0]).toEqual(stored.comparisons[0]);
    expect({ twr: p.twr_pct, start: p.start_date, end: p.end_date, days: p.days }).toEqual({ twr: stored.twr_pct, start: stored.start_date, end: stored.end_date, days: stored.days });
    const qqq = p.comparisons[1]!;
    expect(qqq.benchmark_twr_pct).not.toBe(stored.comparisons[0]!.benchmark_twr_pct);
    expect(Math.abs(qqq.active_return_pct - (p.twr_pct - qqq.benchmark_twr_pct))).toBeLessThanOrEqual(0.011); // each figure rounded to 0.01
    for (const q of ['ZZZZQ', 'QQQ;DROP', 'QQQ,,SPY']) {
      const bad = await get(fx.app, `${base(id)}/performance?symbols=${encodeURIComponent(q)}`, me);
      expect(bad.status, q).toBe(422);
      expect(bad.headers.get('content-type')).toBe('application/problem+json');
      expect(bad.body.errors.map((e: { path: string }) => e.path), q).toContain('symbols');
    }
  });

  it('refuses a cookie-only POST without the CSRF proof and runs it with the double-submit token', async () => {
    const signIn = await fx.app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO.individual.email, password: DEMO_PASSWORD }) });
    const cookies = signIn.headers.getSetCookie();
    const session = /^auth_token=([^;]+)/.exec(cookies.find((c) => c.startsWith('auth_token='))!)![1]!;
    const csrf = /^csrf_token=([^;]+)/.exec(cookies.find((c) => c.startsWith('csrf_token='))!)![1]!;
    const send = (headers: Record<string, string>) =>
      fx.app.request(`${base(DEMO.individual.portfolioId)}/historical-replays`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `auth_token=${session}; csrf_token=${csrf}`, ...headers }, body: JSON.stringify(COVID) });
    const refused = await send({});
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect((await send({ 'x-csrf-token': 'not-the-token' })).status).toBe(403);
    expect((await send({ origin: 'https://evil.example.net', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await send({ 'x-csrf-token': csrf })).status).toBe(200);
  });
});
