import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { dataLoads } from '../schema/market.ts';

type Tx = Pick<Db, 'select' | 'insert'>;

/** Checksum recorded for a named load, or null when it never completed. */
export async function getLoadChecksum(db: Tx, name: string): Promise<string | null> {
  const [row] = await db.select({ checksum: dataLoads.checksum }).from(dataLoads).where(eq(dataLoads.name, name));
  return row?.checksum ?? null;
}

export async function recordLoad(db: Tx, name: string, checksum: string, rows: number): Promise<void> {
  await db
    .insert(dataLoads)
    .values({ name, checksum, rows })
    .onConflictDoUpdate({ target: dataLoads.name, set: { checksum, rows, loadedAt: new Date() } });
}
