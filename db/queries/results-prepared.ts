/**
 * Prepared reads for the hot analytics paths: a fixed statement, parsed and planned once per
 * database session and then only bound and executed, whose result columns are all text (cast in
 * the SQL), so both drivers hand back the same `(string | null)[]` rows without type mapping.
 *
 * Why not `db.execute`: on PGlite a drizzle query costs ~200 µs of CPU before any SQL runs (six
 * protocol round trips into the WebAssembly engine, and a copy of PGlite's whole parser table
 * for the per-query parsers drizzle passes), and the statement is parsed and planned again every
 * time. Here PGlite gets one protocol message (Bind, Execute, Sync, with the Parse only the first
 * time) under PGlite's own query and transaction locks, exactly as `PGlite.query` takes them, so
 * it never runs inside another caller's open transaction. postgres.js prepares named statements
 * per connection by itself; rows come back as arrays.
 *
 * A transaction handle (or any handle without a driver client) takes the ordinary drizzle path.
 */
import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from '../client.ts';
import { queryRows } from '../exec.ts';

/** Parameter type OIDs (pg_type). */
export const OID = { text: 25, date: 1082, uuid: 2950 } as const;

export interface PreparedRead {
  /** Server-side statement name, derived from the text (a changed text is a new statement). */
  readonly name: string;
  /** SQL with `$1 … $n`; every result column must be text. */
  readonly text: string;
  readonly paramTypes: readonly number[];
}

/** Declares a prepared read; `text` uses `$1 … $n` for the parameters, of the given types. */
export function preparedRead(text: string, paramTypes: readonly number[]): PreparedRead {
  return { name: `sigmasight_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`, text, paramTypes };
}

export type TextRow = (string | null)[];

// --- PGlite: the frontend messages of the extended query protocol -----------------------------

const utf8 = new TextEncoder();

function message(code: string, parts: readonly Uint8Array[]): Uint8Array {
  const len = 4 + parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(1 + len);
  out[0] = code.charCodeAt(0);
  new DataView(out.buffer).setInt32(1, len);
  let o = 5;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
const cstring = (s: string): Uint8Array => utf8.encode(`${s}\0`);
const int16 = (n: number): Uint8Array => new Uint8Array([(n >> 8) & 255, n & 255]);
const int32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n);
  return b;
};

const parseMessage = (s: PreparedRead): Uint8Array => message('P', [cstring(s.name), cstring(s.text), int16(s.paramTypes.length), ...s.paramTypes.map(int32)]);
/** Bind to the unnamed portal, text parameters, text results. */
function bindMessage(s: PreparedRead, params: readonly (string | null)[]): Uint8Array {
  const values = params.flatMap((v) => {
    if (v === null) return [int32(-1)];
    const bytes = utf8.encode(v);
    return [int32(bytes.length), bytes];
  });
  return message('B', [cstring(''), cstring(s.name), int16(0), int16(params.length), ...values, int16(0)]);
}
const EXECUTE_SYNC = (() => {
  const e = message('E', [cstring(''), int32(0)]);
  const s = message('S', []);
  const out = new Uint8Array(e.length + s.length);
  out.set(e);
  out.set(s, e.length);
  return out;
})();

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** An ErrorResponse of the server, with its SQLSTATE as `code` (like the drivers' errors). */
export class PreparedReadError extends Error {
  readonly code: string;
  constructor(fields: Map<string, string>) {
    super(fields.get('M') ?? 'database error');
    this.name = 'PreparedReadError';
    this.code = fields.get('C') ?? '';
  }
}

/** The DataRow fields (text) of a backend response; throws its ErrorResponse, if any. */
function decodeResponse(bytes: Uint8Array): { rows: TextRow[]; parsed: boolean } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows: TextRow[] = [];
  let parsed = false;
  let error: PreparedReadError | undefined;
  for (let o = 0; o + 5 <= bytes.length; ) {
    const type = bytes[o]!;
    const end = o + 1 + view.getInt32(o + 1);
    if (type === 0x31 /* 1 ParseComplete */) parsed = true;
    else if (type === 0x44 /* D DataRow */) {
      const n = view.getInt16(o + 5);
      const row: TextRow = new Array<string | null>(n);
      for (let i = 0, p = o + 7; i < n; i++) {
        const len = view.getInt32(p);
        p += 4;
        if (len < 0) row[i] = null;
        else {
          row[i] = utf8Decoder.decode(bytes.subarray(p, p + len));
          p += len;
        }
      }
      rows.push(row);
    } else if (type === 0x45 /* E ErrorResponse */ && !error) {
      const fields = new Map<string, string>();
      for (let p = o + 5; p < end && bytes[p] !== 0; ) {
        const code = String.fromCharCode(bytes[p]!);
        const stop = bytes.indexOf(0, p + 1);
        fields.set(code, utf8Decoder.decode(bytes.subarray(p + 1, stop)));
        p = stop + 1;
      }
      error = new PreparedReadError(fields);
    }
    o = end;
  }
  if (error) throw Object.assign(error, { parsed });
  return { rows, parsed };
}
const utf8Decoder = new TextDecoder();

/** Statement names parsed in each PGlite session (a session lives as long as its instance). */
const parsedIn = new WeakMap<PGlite, Set<string>>();
/** SQLSTATE 26000: the named statement is gone (e.g. after `DEALLOCATE ALL`). */
const INVALID_STATEMENT_NAME = '26000';

/** Sends protocol messages and returns the whole response (a read: nothing to sync to the file system). */
async function exchange(pg: PGlite, msg: Uint8Array): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await pg.execProtocolRawStream(msg, { syncToFs: false, onRawData: (b) => void chunks.push(b.slice()) });
  return chunks.length === 1 ? chunks[0]! : concat(chunks);
}

/** Bind, Execute and Sync of a statement without parameters: the same bytes every time. */
const constantRun = new WeakMap<PreparedRead, Uint8Array>();
function runMessage(s: PreparedRead, params: readonly (string | null)[]): Uint8Array {
  if (params.length) return concat([bindMessage(s, params), EXECUTE_SYNC]);
  let m = constantRun.get(s);
  if (!m) constantRun.set(s, (m = concat([bindMessage(s, []), EXECUTE_SYNC])));
  return m;
}

async function runOnPglite(pg: PGlite, s: PreparedRead, params: readonly (string | null)[]): Promise<TextRow[]> {
  let known = parsedIn.get(pg);
  if (!known) parsedIn.set(pg, (known = new Set()));
  const parsed = known;
  await pg._checkReady();
  return pg._runExclusiveTransaction(() =>
    pg._runExclusiveQuery(async () => {
      for (let attempt = 0; ; attempt++) {
        const fresh = !parsed.has(s.name);
        try {
          const r = decodeResponse(await exchange(pg, fresh ? concat([parseMessage(s), runMessage(s, params)]) : runMessage(s, params)));
          if (fresh && r.parsed) parsed.add(s.name);
          return r.rows;
        } catch (err) {
          if (fresh && (err as { parsed?: boolean }).parsed) parsed.add(s.name);
          if (!fresh && attempt === 0 && (err as { code?: string }).code === INVALID_STATEMENT_NAME) {
            parsed.delete(s.name);
            continue;
          }
          throw err;
        }
      }
    }),
  );
}

// --- postgres.js and the generic path --------------------------------------------------------

interface PostgresJs {
  unsafe(text: string, params: readonly unknown[], opts: { prepare: boolean }): { values(): Promise<TextRow[]> };
}

/** The statement as a drizzle SQL object (for transaction handles). */
function asSql(s: PreparedRead, params: readonly (string | null)[]): SQL {
  const parts = s.text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  parts.forEach((part, i) => chunks.push(i % 2 ? sql`${params[Number(part) - 1] ?? null}` : sql.raw(part)));
  return sql.join(chunks);
}

/** Runs a prepared read and returns its rows, each column as text or null, in select-list order. */
export async function runPrepared(db: Db, s: PreparedRead, params: readonly (string | null)[]): Promise<TextRow[]> {
  const client: unknown = db instanceof PgTransaction ? undefined : (db as { $client?: unknown }).$client;
  if (client instanceof PGlite) return runOnPglite(client, s, params);
  if (client && typeof (client as PostgresJs).unsafe === 'function') return (client as PostgresJs).unsafe(s.text, params, { prepare: true }).values();
  return (await queryRows<Record<string, string | null>>(db, asSql(s, params))).map((r) => Object.values(r));
}
