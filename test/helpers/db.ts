/**
 * Test databases: every test file gets its own. PGlite runs in memory; Postgres runs when
 * TEST_DATABASE_URL is set (CI sets it), in a fresh database created for the file and dropped
 * after it. `DB_KINDS` lists the kinds this run covers; `describeEachDb` runs a suite once per kind
 * and reports the Postgres half as skipped when TEST_DATABASE_URL is unset.
 *
 * A migrated database starts as a copy of the one test/global-setup.ts built for the run (a
 * PGlite data-directory tarball, a Postgres template database), `{ seeded: true }` as a copy of
 * the seeded one; migrations and the seed still run on it and find nothing to do. Without the
 * global setup (or with `migrate: false`) the database starts empty and is migrated (and seeded) here.
 */
import { cpSync, existsSync, openAsBlob } from 'node:fs';
import { describe, inject } from 'vitest';
import { prepareDatabase } from '../../core/bootstrap.ts';
import { createDb, type DbHandle } from '../../db/client.ts';
import { createScratchDatabase } from '../../db/scratch.ts';
import type { TestDbTemplates } from '../global-setup.ts';

export type DbKind = 'pglite' | 'postgres';
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'];
export const DB_KINDS: DbKind[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb extends DbHandle {
  /** Connection URL of the per-file Postgres database (undefined on PGlite). */
  url?: string;
  destroy(): Promise<void>;
}

export interface TestDbOptions {
  /** `false`: an empty database, no migration applied. */
  migrate?: boolean;
  /** The demo book and bundled market data too (what `prepareDatabase(db, { seed: true })` writes). */
  seeded?: boolean;
}

function templates(): TestDbTemplates {
  try {
    return inject('testDbTemplates') ?? {};
  } catch {
    return {}; // outside a vitest worker
  }
}

/** The tarball of the run's migrated or seeded PGlite database, when the global setup left one. */
export async function pgliteSnapshot(seeded: boolean): Promise<Blob | undefined> {
  const path = templates().pglite?.[seeded ? 'seeded' : 'migrated'];
  return path && existsSync(path) ? openAsBlob(path) : undefined;
}

export async function createTestDb(kind: DbKind, opts: TestDbOptions = {}): Promise<TestDb> {
  const migrate = opts.migrate !== false;
  const seeded = opts.seeded === true;
  if (seeded && !migrate) throw new Error('createTestDb: a seeded database is a migrated one');
  let handle: DbHandle;
  let url: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  if (kind === 'postgres') {
    if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
    const template = migrate ? templates().postgres?.[seeded ? 'seeded' : 'migrated'] : undefined;
    const scratch = await createScratchDatabase(TEST_DATABASE_URL, 'sigmasight_test', template ? { template } : {});
    url = scratch.url;
    handle = createDb({ url, poolMax: 4 });
    drop = scratch.drop;
  } else {
    const snapshot = migrate ? await pgliteSnapshot(seeded) : undefined;
    handle = createDb({ pgliteDir: 'memory://', ...(snapshot ? { pgliteLoadDataDir: snapshot } : {}) });
  }
  if (seeded) await prepareDatabase(handle, { seed: true });
  else if (migrate) await handle.migrate();
  return {
    ...handle,
    ...(url ? { url } : {}),
    destroy: async () => {
      await handle.close();
      await drop?.();
    },
  };
}

/**
 * Fills a new PGlite data directory on disk with a seeded database (migrated, demo book, bundled
 * prices), for a child process to open: a copy of the run's seeded directory when there is one.
 */
export async function seedPgliteDir(dir: string): Promise<void> {
  const source = templates().pglite?.seededDir;
  if (source && existsSync(source)) {
    cpSync(source, dir, { recursive: true });
    return;
  }
  const handle = createDb({ pgliteDir: dir });
  try {
    await prepareDatabase(handle, { seed: true });
  } finally {
    await handle.close();
  }
}

/** Runs `fn` as a suite per database kind; the Postgres suite shows as skipped without TEST_DATABASE_URL. */
export function describeEachDb(name: string, fn: (kind: DbKind) => void): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    const available = DB_KINDS.includes(kind);
    describe.skipIf(!available)(`${name} [${kind}${available ? '' : ': TEST_DATABASE_URL not set'}]`, () => fn(kind));
  }
}
