/**
 * One process per embedded data directory: a second open (here or in another process) fails
 * with a message naming the holder and what to do, a closed handle frees the directory, and a
 * lock left by a killed process is taken over.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createDb } from '../../db/client.ts';
import { DataDirInUseError } from '../../db/data-dir-lock.ts';
import { seedPgliteDir } from '../helpers/db.ts';
import { runTs } from '../helpers/run.ts';

const root = mkdtempSync(join(tmpdir(), 'sigmasight-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('a second open of the same directory fails until the first handle is closed', async () => {
  const dir = join(root, 'a');
  await seedPgliteDir(dir); // an existing database (a copy of the run's seeded one): no initdb on the first open
  const first = createDb({ pgliteDir: dir });
  await first.ping();
  expect(() => createDb({ pgliteDir: dir })).toThrow(DataDirInUseError);
  expect(() => createDb({ pgliteDir: dir })).toThrow(new RegExp(`in use by process ${process.pid}`));
  const cli = runTs('scripts/check-db.ts', [], { PGLITE_DIR: dir });
  expect(cli.status).not.toBe(0);
  expect(cli.stderr).toMatch(/PGLITE_DIR: cannot open the database at .*in use by process \d+/);
  await first.close();
  expect(existsSync(`${dir}.lock`)).toBe(false);
  const second = createDb({ pgliteDir: dir });
  await second.ping();
  await second.close();
}, 120_000);

it('a lock left by a process that no longer exists is taken over', async () => {
  const dir = join(root, 'b');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  await seedPgliteDir(dir);
  writeFileSync(`${dir}.lock`, dead.stdout);
  const h = createDb({ pgliteDir: dir });
  await h.ping();
  await h.close();
}, 120_000);
