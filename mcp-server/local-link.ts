/**
 * The link between a server on the embedded database (`npm start`) and `npm run mcp` on the same
 * machine. Only one process may open a PGlite directory, so while the server holds it the stdio
 * entry bridges to the server's `/mcp` instead (mcp-server/stdio-bridge.ts).
 *
 * Once listening, the server records its URL and a random key in the data directory's lock file,
 * which only the OS user can read (the same trust as opening the database files, which is all
 * local mode asks). `POST /_local/mcp-session` with `{ key, email }` from a loopback address
 * returns an ordinary session token for that user (like a login, refused for unknown or inactive
 * users), which the bridge presents at `/mcp` as a bearer token like any other client.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Http2Bindings, HttpBindings } from '@hono/node-server';
import { createAuthSessions } from '../core/auth/sessions.ts';
import { recordDataDirHolder, type DbHandle } from '../core/database.ts';
import type { Env } from '../core/env.ts';
import { toAppError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { principalForEmail } from '../core/services/local-principal.ts';

export const LOCAL_SESSION_PATH = '/_local/mcp-session';

/** What the lock file says about the server holding the directory. */
export interface LocalServerInfo {
  url: string;
  key: string;
}

type Fetch = (req: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response>;

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });

/** The URL a local client uses for a server bound to `host` on `port`. */
export function localUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '::' || host === 'localhost' || host === '') return `http://127.0.0.1:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * The server's side of the link, or null when it does not hold an embedded directory (Postgres,
 * in-memory). `wrap` serves the session exchange in front of the app; `listening` records the URL.
 */
export function createLocalLink(opts: { env: Pick<Env, 'HOST' | 'PGLITE_DIR' | 'SESSION_TTL_HOURS'>; dbh: DbHandle; log: Logger }): { wrap: (app: Fetch) => Fetch; listening: (port: number) => void } | null {
  const { env, dbh, log } = opts;
  if (dbh.kind !== 'pglite' || env.PGLITE_DIR.startsWith('memory://')) return null;
  const key = randomBytes(32);
  const sessions = createAuthSessions(dbh.db, { ttlHours: env.SESSION_TTL_HOURS });

  async function exchange(req: Request, bindings: HttpBindings | Http2Bindings): Promise<Response> {
    if (req.method !== 'POST') return json(405, { detail: 'POST only' });
    if (!LOOPBACK.has(bindings.incoming?.socket?.remoteAddress ?? '')) return json(403, { detail: 'local clients only' });
    const body = (await req.json().catch(() => null)) as { key?: unknown; email?: unknown } | null;
    const given = typeof body?.key === 'string' ? Buffer.from(body.key, 'base64url') : Buffer.alloc(0);
    if (given.length !== key.length || !timingSafeEqual(given, key)) return json(403, { detail: 'the local key does not match this server; restart npm run mcp' });
    if (typeof body?.email !== 'string') return json(422, { detail: 'email is required' });
    try {
      const principal = await principalForEmail(dbh.db, body.email);
      const { token, expiresAt } = await sessions.create(principal.userId, 'SigmaSight MCP stdio bridge');
      log.info({ user: principal.email }, 'local MCP bridge session issued');
      return json(200, { access_token: token, expires_at: expiresAt.toISOString(), email: principal.email });
    } catch (err) {
      const e = toAppError(err);
      if (e.code === 'INTERNAL') log.error({ err }, 'local MCP bridge session failed');
      return json(e.code === 'UNAUTHENTICATED' ? 401 : 500, { code: e.code, detail: e.code === 'INTERNAL' ? 'the session could not be created' : e.message });
    }
  }

  return {
    wrap: (app) => (req, bindings) => (req.url.includes(LOCAL_SESSION_PATH) && new URL(req.url).pathname === LOCAL_SESSION_PATH ? exchange(req, bindings) : app(req, bindings)),
    listening: (port) => {
      const info: LocalServerInfo = { url: localUrl(env.HOST, port), key: key.toString('base64url') };
      if (!recordDataDirHolder(env.PGLITE_DIR, { ...info })) log.warn({ dir: env.PGLITE_DIR }, 'could not record the server URL for npm run mcp');
    },
  };
}
