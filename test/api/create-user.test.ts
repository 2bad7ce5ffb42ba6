/** `npm run create-user`: creates a user that can then log in; bad input and duplicates exit 1 with a message. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../core/auth/password.ts';
import { createDb } from '../../db/client.ts';
import { findUserByEmail, getUserProfile } from '../../db/queries/users.ts';
import { entryArgs, ROOT } from '../helpers/run.ts';

const dir = mkdtempSync(join(tmpdir(), 'sigmasight-cli-'));
const cli = (args: string[], input: string) =>
  spawnSync(process.execPath, [...entryArgs('scripts/create-user.ts'), ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], PGLITE_DIR: dir, LOG_LEVEL: 'silent' },
  });

describe('npm run create-user', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates an admin with a portfolio, refuses a duplicate, and explains bad input', async () => {
    const ok = cli(['--email', 'Ops@Example.com', '--name', 'Ops Admin', '--role', 'admin'], 'a-long-password\n');
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^created admin ops@example\.com \([0-9a-f-]{36}\) with portfolio [0-9a-f-]{36}/);
    const dup = cli(['--email', 'ops@example.com', '--name', 'Again'], 'another-password\n');
    expect(dup.status).toBe(1);
    expect(dup.stderr).toContain('Email already registered');
    const short = cli(['--email', 'x@example.com', '--name', 'X'], 'short\n');
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('password (stdin)');
    const noEmail = cli(['--name', 'X'], 'a-long-password\n');
    expect(noEmail.status).toBe(1);
    expect(noEmail.stderr).toContain('--email');
    const h = createDb({ pgliteDir: dir });
    try {
      const user = await findUserByEmail(h.db, 'ops@example.com');
      expect(await verifyPassword(user!.passwordHash, 'a-long-password')).toBe(true);
      expect((await getUserProfile(h.db, user!.id))!.role).toBe('admin');
      expect(await findUserByEmail(h.db, 'x@example.com')).toBeNull();
    } finally {
      await h.close();
    }
  }, 240_000);
});
