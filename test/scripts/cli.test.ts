/** CLI doors: bad input gets one clear message and a non-zero exit, and loses nothing. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTs } from '../helpers/run.ts';

describe('command line', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sigmasight-cli-'));
    const seeded = runTs('scripts/seed.ts', [], { PGLITE_DIR: dir }, 120_000);
    expect(seeded.status, seeded.stderr).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('check-db reports 3 users, 3 portfolios, 63 positions and the bundled prices', () => {
    const r = runTs('scripts/check-db.ts', [], { PGLITE_DIR: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/users:\s+3\n/);
    expect(r.stdout).toMatch(/portfolios:\s+3\n/);
    expect(r.stdout).toMatch(/positions:\s+63 \(16, 17, 30:/);
    expect(r.stdout).toMatch(/prices:\s+123975 rows/);
  });

  it('db:reset without --confirm exits non-zero, says why, and deletes nothing', () => {
    const r = runTs('scripts/db-reset.ts', [], { PGLITE_DIR: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refusing to reset');
    expect(r.stderr).toContain('--confirm');
    const after = runTs('scripts/check-db.ts', [], { PGLITE_DIR: dir });
    expect(after.stdout).toMatch(/positions:\s+63 /);
  });

  it('portfolios --verbose lists the three deterministic portfolio ids', () => {
    const r = runTs('scripts/portfolios.ts', ['--verbose'], { PGLITE_DIR: dir });
    expect(r.status).toBe(0);
    for (const id of ['1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe', 'e23ab931-a033-edfe-ed4f-9d02474780b4', 'fcd71196-e93e-f000-5a74-31a9eead3118']) expect(r.stdout).toContain(id);
    expect(r.stdout).toContain('ZM');
  });

  it('start-up with an unreachable DATABASE_URL stops with one line naming the variable', () => {
    const r = runTs('api/main.ts', [], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^DATABASE_URL: cannot open the database at postgres:\/\/127\.0\.0\.1:1\/none: /);
  });

  it('start-up with a bad environment value stops with one line naming the variable', () => {
    const r = runTs('api/main.ts', [], { PORT: 'eighty', PGLITE_DIR: dir });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^Invalid environment variable PORT: [^\n]+$/);
  });
});
