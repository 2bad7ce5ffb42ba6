/** Prepared reads: text rows on both drivers, PGlite's locks honoured, a lost statement re-parsed, errors with their SQLSTATE. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OID, preparedRead, runPrepared } from '../../db/queries/results-prepared.ts';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.ts';

const ECHO = preparedRead(`select $1::text || '!', null::text, (select count(*)::text from prepared_t where k = $2::uuid)`, [OID.text, OID.uuid]);
const K = '00000000-0000-4000-8000-000000000001';

describeEachDb('prepared reads', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(kind, { migrate: false });
    await db.db.execute(sql`create table prepared_t (k uuid not null, v text)`);
  });
  afterAll(() => db.destroy());

  it('returns every column as text or null, in select-list order, the same on every call', async () => {
    await db.db.execute(sql`insert into prepared_t values (${K}, 'a'), (${K}, 'b')`);
    expect(await runPrepared(db.db, ECHO, ['héllo', K])).toEqual([['héllo!', null, '2']]);
    expect(await runPrepared(db.db, ECHO, ['x', '00000000-0000-4000-8000-000000000002'])).toEqual([['x!', null, '0']]);
    expect(await runPrepared(db.db, preparedRead('select g::text from generate_series(1, 3) g where $1::text is not null', [OID.text]), ['-'])).toEqual([['1'], ['2'], ['3']]);
  });

  it('reports a database error with its SQLSTATE and keeps working after it', async () => {
    await expect(runPrepared(db.db, ECHO, ['x', 'not-a-uuid'])).rejects.toMatchObject({ code: '22P02' });
    await expect(runPrepared(db.db, preparedRead('select nope from prepared_t', []), [])).rejects.toMatchObject({ code: '42703' });
    expect(await runPrepared(db.db, ECHO, ['ok', K])).toEqual([['ok!', null, '2']]);
  });

  it('inside a transaction runs on that transaction and sees its uncommitted rows', async () => {
    await db.db.transaction(async (tx) => {
      await tx.execute(sql`insert into prepared_t values (${K}, 'c')`);
      expect(await runPrepared(tx as never, ECHO, ['t', K])).toEqual([['t!', null, '3']]);
      tx.rollback();
    }).catch((e: unknown) => {
      if (!(e instanceof Error) || !/rollback/i.test(e.message)) throw e;
    });
    expect(await runPrepared(db.db, ECHO, ['after', K])).toEqual([['after!', null, '2']]);
  });

  it('a read issued while another caller holds a transaction waits for it and never sees its uncommitted rows', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const didInsert = new Promise<void>((r) => (inserted = r));
    const tx = db.db.transaction(async (t) => {
      await t.execute(sql`insert into prepared_t values (${K}, 'd')`);
      inserted();
      await held;
    });
    await didInsert;
    const read = runPrepared(db.db, ECHO, ['during', K]);
    // the read must not see the open transaction's row, whether it waits (PGlite) or not (Postgres)
    const early = await Promise.race([read.then((r) => r), new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 100))]);
    if (kind === 'pglite') expect(early).toBe('waiting');
    else expect(early).toEqual([['during!', null, '2']]);
    release();
    await tx;
    expect(await read).toEqual([['during!', null, kind === 'pglite' ? '3' : '2']]);
    expect(await runPrepared(db.db, ECHO, ['now', K])).toEqual([['now!', null, '3']]);
  });

  it('prepares the statement again when the session lost it', async () => {
    expect(await runPrepared(db.db, ECHO, ['1', K])).toEqual([['1!', null, '3']]);
    await db.db.execute(sql`deallocate all`);
    expect(await runPrepared(db.db, ECHO, ['2', K])).toEqual([['2!', null, '3']]);
  });
});
