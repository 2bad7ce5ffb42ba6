import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAuthSessions } from '../../core/auth/sessions.ts';
import { findUserByEmail } from '../../db/queries/users.ts';
import { resolveStdioPrincipal } from '../../mcp-server/stdio-principal.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { runTs } from '../helpers/run.ts';
import { DEMO, seededDb } from './mcp-harness.ts';

describeEachDb('stdio principal', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await seededDb(kind);
  }, 120_000);
  afterAll(() => db.destroy());
  const env = (e: { SIGMASIGHT_USER?: string; SIGMASIGHT_TOKEN?: string }) => ({ SESSION_TTL_HOURS: 24, ...e });

  it('acts for SIGMASIGHT_USER, case-insensitively', async () => {
    const p = await resolveStdioPrincipal(db.db, env({ SIGMASIGHT_USER: 'Demo_HNW@sigmasight.com' }));
    expect(p.email).toBe(DEMO.hnw.email);
  });

  it('prefers a valid SIGMASIGHT_TOKEN and refuses a revoked one, naming the variable', async () => {
    const user = await findUserByEmail(db.db, DEMO.hedge.email);
    const sessions = createAuthSessions(db.db, { ttlHours: 24 });
    const { token } = await sessions.create(user!.id);
    expect((await resolveStdioPrincipal(db.db, env({ SIGMASIGHT_TOKEN: token, SIGMASIGHT_USER: DEMO.hnw.email }))).email).toBe(DEMO.hedge.email);
    await sessions.revoke(token);
    await expect(resolveStdioPrincipal(db.db, env({ SIGMASIGHT_TOKEN: token }))).rejects.toThrow(/^SIGMASIGHT_TOKEN: /);
  });

  it('refuses an unknown user and a missing setting with the variable to fix', async () => {
    await expect(resolveStdioPrincipal(db.db, env({ SIGMASIGHT_USER: 'nobody@example.com' }))).rejects.toThrow(/^SIGMASIGHT_USER: no active SigmaSight user/);
    await expect(resolveStdioPrincipal(db.db, env({}))).rejects.toThrow(/^SIGMASIGHT_USER: set it/);
  });
});

it('npm run mcp without a user exits 1 with one line naming SIGMASIGHT_USER, stdout left clean', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigmasight-mcp-'));
  try {
    const r = runTs('mcp-server/stdio.ts', [], { PGLITE_DIR: join(dir, 'db'), SEED_ON_START: 'false' }, 120_000);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/SIGMASIGHT_USER: set it/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 130_000);
