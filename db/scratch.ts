/**
 * A throw-away database on a Postgres server (tests and benchmarks): created under a random
 * name next to the database `adminUrl` points at, and dropped with `drop()`. With `template` it
 * starts as a copy of that database (which must have no open connections).
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export interface ScratchDatabase {
  /** Database name. */
  name: string;
  /** Connection URL of the new database. */
  url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

export interface ScratchOptions {
  /** Name of the database to copy. */
  template?: string;
}

export async function createScratchDatabase(adminUrl: string, prefix = 'sigmasight_scratch', opts: ScratchOptions = {}): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  if (opts.template !== undefined && !/^[a-z_][a-z0-9_]*$/.test(opts.template)) throw new Error(`template database name ${JSON.stringify(opts.template)} is not a plain identifier`);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}${opts.template ? ` template ${opts.template}` : ''}`);
  } catch (err) {
    await admin.end();
    throw err;
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    name,
    url: u.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
