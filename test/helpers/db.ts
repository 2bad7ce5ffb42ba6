/**
 * Test databases: every test file gets its own. PGlite runs in memory; Postgres runs when
 * TEST_DATABASE_URL is set (CI sets it), in a fresh database created for the file and dropped
 * after it. `DB_KINDS` lists the kinds this run covers; `describeEachDb` runs a suite once per kind
 * and reports the Postgres half as skipped when TEST_DATABASE_URL is unset.
 */
import { describe } from 'vitest';
import { createDb, type DbHandle } from '../../db/client.ts';
import { createScratchDatabase } from '../../db/scratch.ts';

export type DbKind = 'pglite' | 'postgres';
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'];
export const DB_KINDS: DbKind[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb extends DbHandle {
  /** Connection URL of the per-file Postgres database (undefined on PGlite). */
  url?: string;
  destroy(): Promise<void>;
}

export async function createTestDb(kind: DbKind, opts: { migrate?: boolean } = {}): Promise<TestDb> {
  let handle: DbHandle;
  let url: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  if (kind === 'postgres') {
    if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
    const scratch = await createScratchDatabase(TEST_DATABASE_URL, 'sigmasight_test');
    url = scratch.url;
    handle = createDb({ url, poolMax: 4 });
    drop = scratch.drop;
  } else {
    handle = createDb({ pgliteDir: 'memory://' });
  }
  if (opts.migrate !== false) await handle.migrate();
  return {
    ...handle,
    ...(url ? { url } : {}),
    destroy: async () => {
      await handle.close();
      await drop?.();
    },
  };
}

/** Runs `fn` as a suite per database kind; the Postgres suite shows as skipped without TEST_DATABASE_URL. */
export function describeEachDb(name: string, fn: (kind: DbKind) => void): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    const available = DB_KINDS.includes(kind);
    describe.skipIf(!available)(`${name} [${kind}${available ? '' : ': TEST_DATABASE_URL not set'}]`, () => fn(kind));
  }
}
