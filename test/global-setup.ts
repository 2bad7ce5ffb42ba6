/**
 * Builds the test databases every file starts from, once per run instead of once per file:
 *
 * - PGlite: a migrated and a migrated + seeded (demo book, bundled prices) data directory, dumped
 *   to tarballs under the OS temp directory (the seeded one also unpacked, for child processes). The file name carries a hash of everything that
 *   shapes them (migrations, seed code and inputs, bundled data, the PGlite version), so a changed
 *   migration or seed builds new ones and a stale one is never loaded; later runs reuse them.
 *   Files are written under a temporary name and renamed, so concurrent runs never see half a file.
 * - Postgres (TEST_DATABASE_URL set): a migrated and a seeded template database for this run;
 *   each file's scratch database is a copy (`CREATE DATABASE … TEMPLATE`). Dropped at the end.
 *
 * Test files read the locations with `inject('testDbTemplates')` (test/helpers/db.ts).
 *
 * It also bundles the entry files the end-to-end tests start as child processes (test/helpers/bundles.ts),
 * for `inject('testEntryBundles')` (test/helpers/run.ts `entryArgs`); removed at the end.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openAsBlob, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { prepareDatabase } from '../core/bootstrap.ts';
import { createDb, type DbHandle } from '../db/client.ts';
import { createScratchDatabase, type ScratchDatabase } from '../db/scratch.ts';
import { bundleEntries, type EntryBundles } from './helpers/bundles.ts';

// not imported from test/helpers/run.ts, which reads vitest's injected values in a worker
const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface TestDbTemplates {
  /** Tarballs of PGlite data directories (`loadDataDir`), and the seeded one unpacked (to copy for child processes). */
  pglite?: { migrated: string; seeded: string; seededDir: string };
  /** Template database names on the TEST_DATABASE_URL server. */
  postgres?: { migrated: string; seeded: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDbTemplates: TestDbTemplates;
    testEntryBundles: EntryBundles;
  }
}

/** Everything whose change can change the migrated or seeded database. */
const INPUTS = [
  'db/migrations', 'db/seed', 'db/schema', 'db/client.ts', 'db/queries/data-loads.ts', 'db/queries/market-prices.ts', 'data/market',
  'core/bootstrap.ts', 'core/market-data/load-bundled.ts', 'core/market-data/bundled-files.ts', 'core/auth/password.ts', 'test/global-setup.ts',
];
const SNAPSHOT_DIR = join(tmpdir(), 'sigmasight-test-snapshots');
const STALE_MS = 3_600_000;

function listFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => listFiles(join(path, e.name)));
}

export function snapshotKey(): string {
  const h = createHash('sha256');
  h.update(JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version);
  for (const file of INPUTS.flatMap((p) => listFiles(join(ROOT, p)))) h.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return h.digest('hex').slice(0, 16);
}

async function dump(handle: DbHandle, path: string): Promise<void> {
  const client = (handle.db as unknown as { $client: PGlite }).$client;
  // without a checkpoint every copy would replay the WAL of the migrations and the seed at start
  await client.exec('checkpoint');
  const tar = Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer());
  const tmp = tempName(path);
  writeFileSync(tmp, tar);
  renameSync(tmp, path);
}

const tempName = (path: string) => `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

/** Unpacks a tarball into a data directory on disk (for child processes, which open a directory). */
async function unpack(tarball: string, path: string): Promise<void> {
  const tmp = tempName(path);
  const handle = createDb({ pgliteDir: tmp, pgliteLoadDataDir: await openAsBlob(tarball) });
  await handle.ping();
  await handle.close();
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(path)) throw err; // else a concurrent run placed it first
  }
}

/** Drops snapshots of other keys (and abandoned temporary files) not touched for an hour. */
function pruneSnapshots(keep: string[]): void {
  for (const name of readdirSync(SNAPSHOT_DIR)) {
    const path = join(SNAPSHOT_DIR, name);
    if (keep.includes(path)) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // another run pruned it first
    }
  }
}

async function pgliteSnapshots(): Promise<NonNullable<TestDbTemplates['pglite']>> {
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  const key = snapshotKey();
  const migrated = join(SNAPSHOT_DIR, `migrated-${key}.tar`);
  const seeded = join(SNAPSHOT_DIR, `seeded-${key}.tar`);
  const seededDir = join(SNAPSHOT_DIR, `seeded-${key}.pgdata`);
  if (!existsSync(migrated) || !existsSync(seeded)) {
    const handle = createDb({ pgliteDir: 'memory://' });
    try {
      await handle.migrate();
      await dump(handle, migrated);
      await prepareDatabase(handle, { seed: true });
      await dump(handle, seeded);
    } finally {
      await handle.close();
    }
  }
  if (!existsSync(seededDir)) await unpack(seeded, seededDir);
  pruneSnapshots([migrated, seeded, seededDir]);
  return { migrated, seeded, seededDir };
}

async function postgresTemplates(url: string, created: ScratchDatabase[]): Promise<{ migrated: string; seeded: string }> {
  const build = async (prefix: string, seed: boolean): Promise<string> => {
    const tmpl = await createScratchDatabase(url, prefix);
    created.push(tmpl);
    const handle = createDb({ url: tmpl.url, poolMax: 2 });
    try {
      await prepareDatabase(handle, { seed });
    } finally {
      await handle.close();
    }
    return tmpl.name;
  };
  const [migrated, seeded] = await Promise.allSettled([build('sigmasight_tmpl_migrated', false), build('sigmasight_tmpl_seeded', true)]);
  if (migrated.status === 'rejected') throw migrated.reason;
  if (seeded.status === 'rejected') throw seeded.reason;
  return { migrated: migrated.value, seeded: seeded.value };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env['TEST_DATABASE_URL'];
  const templates: ScratchDatabase[] = [];
  const dropTemplates = async () => {
    await Promise.all(templates.map((t) => t.drop()));
  };
  const [pglite, postgres, entries] = await Promise.allSettled([
    pgliteSnapshots(), url ? postgresTemplates(url, templates) : undefined, bundleEntries(ROOT, `${process.pid}-${randomBytes(4).toString('hex')}`),
  ]);
  const removeBundles = () => entries.status === 'fulfilled' && entries.value.remove();
  if (pglite.status === 'rejected' || postgres.status === 'rejected') {
    await dropTemplates();
    removeBundles();
    throw pglite.status === 'rejected' ? pglite.reason : (postgres as PromiseRejectedResult).reason;
  }
  project.provide('testDbTemplates', { pglite: pglite.value, ...(postgres.value ? { postgres: postgres.value } : {}) });
  project.provide('testEntryBundles', entries.status === 'fulfilled' ? entries.value.bundles : {});
  return async () => {
    removeBundles();
    await dropTemplates();
  };
}
