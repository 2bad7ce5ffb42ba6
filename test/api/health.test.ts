import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { parseEnv } from '../../core/env.ts';
import { createLogger } from '../../core/logger.ts';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.ts';

describeEachDb('GET /health', (kind) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    db = await createTestDb(kind);
    app = createApp({ env: parseEnv({ NODE_ENV: 'test' }), dbh: db, log: createLogger({ level: 'silent' }), startedAt: Date.now(), version: '0.0.0-test' });
  });
  afterAll(() => db.destroy());

  it('answers healthy with a real database check', async () => {
    const res = await app.request('/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; database: { kind: string; ok: boolean; latency_ms: number } };
    expect(body.status).toBe('healthy');
    expect(body.database.kind).toBe(kind);
    expect(body.database.ok).toBe(true);
    expect(res.headers.get('x-request-id')).toMatch(/.+/);
  });

  it('answers an unknown route with problem+json 404', async () => {
    const res = await app.request('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', title: 'Not found', instance: '/api/v1/nothing-here' });
  });

  it('answers 503 unhealthy when the database is gone', async () => {
    const gone = await createTestDb(kind, { migrate: false });
    const broken = createApp({ env: parseEnv({}), dbh: gone, log: createLogger({ level: 'silent' }), startedAt: Date.now(), version: 't' });
    await gone.destroy();
    const res = await broken.request('/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unhealthy', database: { ok: false } });
  });
});
