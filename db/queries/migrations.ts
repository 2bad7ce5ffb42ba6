import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { MIGRATIONS_DIR } from '../client.ts';
import { queryRows, type Executor } from '../exec.ts';

export interface MigrationState {
  tag: string;
  when: number;
  applied: boolean;
}

/** Every migration in db/migrations with whether the database has applied it (by its journal timestamp). */
export async function migrationStatus(db: Executor): Promise<MigrationState[]> {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
  let applied = new Set<number>();
  const [exists] = await queryRows<{ present: boolean }>(db, sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (exists?.present) {
    const rows = await queryRows<{ created_at: string | number }>(db, sql`select created_at from drizzle.__drizzle_migrations`);
    applied = new Set(rows.map((r) => Number(r.created_at)));
  }
  return journal.entries.map((e) => ({ tag: e.tag, when: e.when, applied: applied.has(e.when) }));
}

/** Drops every SigmaSight table and the migration ledger. */
export async function dropAll(db: Executor): Promise<void> {
  await db.execute(sql`drop schema if exists public cascade`);
  await db.execute(sql`drop schema if exists drizzle cascade`);
  await db.execute(sql`create schema public`);
}
