import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { abortableDb } from '../../db/abortable.ts';
import { queryRows } from '../../db/exec.ts';
import { users } from '../../db/schema/index.ts';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.ts';

describeEachDb('a database view bound to an abort signal', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(() => db.destroy());

  it('runs statements until the signal fires, then refuses every new one with an AbortError naming the reason', async () => {
    const ctl = new AbortController();
    const view = abortableDb(db.db, ctl.signal);
    expect(await queryRows<{ n: number }>(view, sql`select 41 + 1 as n`)).toEqual([{ n: 42 }]);
    expect(await view.select({ id: users.id }).from(users).where(eq(users.email, 'nobody@example.com'))).toEqual([]);
    ctl.abort(new Error('client disconnected'));
    await expect(queryRows(view, sql`select 1 as n`)).rejects.toMatchObject({ name: 'AbortError', message: 'client disconnected' });
    expect(() => view.select().from(users)).toThrow(/client disconnected/);
    expect(() => view.insert(users)).toThrow(/client disconnected/);
    expect(() => view.transaction(async () => {})).toThrow(expect.objectContaining({ name: 'AbortError' }));
    // The handle itself is untouched.
    expect(await queryRows<{ n: number }>(db.db, sql`select 2 as n`)).toEqual([{ n: 2 }]);
  });
});
