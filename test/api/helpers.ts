/** Builds the real app over a migrated, seeded test database and logs demo users in. */
import { createApp } from '../../api/app.ts';
import type { AppDeps } from '../../api/context.ts';
import { parseEnv } from '../../core/env.ts';
import { createLogger } from '../../core/logger.ts';
import { testReportsDir } from '../helpers/batch.ts';
import { createTestDb, type DbKind, type TestDb } from '../helpers/db.ts';

export const DEMO = {
  individual: { email: 'demo_individual@sigmasight.com', userId: 'fd5f083c-6ffc-df32-89ca-a4044b5723f5', portfolioId: '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe' },
  hnw: { email: 'demo_hnw@sigmasight.com', userId: '9dacfb0f-2123-7a94-debc-0f982b90d845', portfolioId: 'e23ab931-a033-edfe-ed4f-9d02474780b4' },
  hedge: { email: 'demo_hedgefundstyle@sigmasight.com', userId: 'b13cd6e9-6a6e-c644-8a44-e710b2868e54', portfolioId: 'fcd71196-e93e-f000-5a74-31a9eead3118' },
} as const;
export const DEMO_PASSWORD = 'demo12345';
/** The demo as-of date: the last bundled close. */
export const DEMO_AS_OF = '2026-07-13';

export type TestApp = ReturnType<typeof createApp>;

export interface AppFixture {
  db: TestDb;
  app: TestApp;
}

/** Seeded database (demo book + bundled prices) and an app whose clock sits on the demo as-of date. */
export async function seededApp(kind: DbKind, env: Record<string, string> = {}): Promise<AppFixture> {
  const db = await createTestDb(kind, { seeded: true });
  const app = buildApp(db, env);
  return { db, app };
}

export function buildApp(db: TestDb, env: Record<string, string> = {}, extra: Partial<AppDeps> = {}): TestApp {
  return createApp({
    env: parseEnv({ NODE_ENV: 'test', RATE_LIMIT_LOGIN_PER_EMAIL: '1000', RATE_LIMIT_LOGIN_PER_IP: '1000', RATE_LIMIT_API_PER_MIN: '1000000', AUTH_CACHE_TTL_MS: '0', ANALYTICS_CACHE_TTL_MS: '0', REPORTS_DIR: testReportsDir(), ...env }),
    dbh: db,
    log: createLogger({ level: 'silent' }),
    startedAt: Date.now(),
    version: '0.0.0-test',
    clock: () => new Date(`${DEMO_AS_OF}T21:00:00Z`),
    ...extra,
  });
}

/** Logs in and returns the bearer token. */
export async function login(app: TestApp, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`login ${email} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** GET with a bearer token; returns status, headers and parsed body. */
export async function get(app: TestApp, path: string, token?: string): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await app.request(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
