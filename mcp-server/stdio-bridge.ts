/**
 * `npm run mcp` while a SigmaSight server holds the embedded database: the client's JSON-RPC
 * messages on stdio go to that server's `/mcp` over Streamable HTTP and its messages come back,
 * through the SDK's own transports (StdioServerTransport ↔ StreamableHTTPClientTransport). Same
 * tools and data as the server, for any number of clients, since each is one more HTTP client.
 *
 * The bridge presents a session token: SIGMASIGHT_TOKEN as given, or one the server issues for
 * SIGMASIGHT_USER through the local link (mcp-server/local-link.ts). After a 401 it asks for a new
 * one; when the server stops answering it looks for a restarted one in the lock file and follows
 * it. A request it cannot deliver is answered with a JSON-RPC error naming the cause, never left
 * hanging. It revokes the session it was issued when the client goes away.
 */
import { isInitializeRequest, isJSONRPCRequest, isJSONRPCResultResponse, ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { FetchLike, JSONRPCMessage } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { readDataDirLock } from '../core/database.ts';
import type { Logger } from '../core/logger.ts';
import { LOCAL_SESSION_PATH, type LocalServerInfo } from './local-link.ts';
import { StartupFailureError } from './stdio-failure.ts';
import { TOKEN_REFUSED, type StdioIdentity } from './stdio-principal.ts';

export type LocalServerLookup = { kind: 'free' } | { kind: 'server'; pid: number; server: LocalServerInfo } | { kind: 'busy'; pid: number; lockPath: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REQUEST_TIMEOUT_MS = 10_000;
/** How long answers still in flight are awaited after the client closed stdin. */
const DRAIN_MS = 30_000;

/**
 * Who holds the embedded directory `dir`: nobody, a server that recorded its URL, or another
 * process. A holder that has not recorded a URL gets `waitMs` to do so (a server still starting).
 */
export async function findLocalServer(dir: string, opts: { waitMs: number; pollMs?: number }): Promise<LocalServerLookup> {
  const deadline = Date.now() + opts.waitMs;
  for (;;) {
    const lock = readDataDirLock(dir);
    if (!lock) return { kind: 'free' };
    const { url, key } = lock.info ?? {};
    if (typeof url === 'string' && typeof key === 'string') return { kind: 'server', pid: lock.pid, server: { url, key } };
    if (Date.now() >= deadline) return { kind: 'busy', pid: lock.pid, lockPath: lock.lockPath };
    await sleep(opts.pollMs ?? 250);
  }
}

const unreachable = (url: string, err: unknown) =>
  new StartupFailureError({
    cause: `the SigmaSight server at ${url} (npm start, which holds the database) does not answer: ${(err as Error).message}`,
    fix: 'check that npm start is running and healthy (GET /health), or stop it so npm run mcp opens the database itself; then restart the MCP client',
  });

/** A session token for `email` from the server holding the database. @throws StartupFailureError */
export async function issueLocalSession(server: LocalServerInfo, email: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(new URL(LOCAL_SESSION_PATH, server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: server.key, email }), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    throw unreachable(server.url, err);
  }
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; detail?: string };
  if (res.ok && body.access_token) return body.access_token;
  if (res.status === 401) throw new StartupFailureError({ cause: body.detail ?? `no active SigmaSight user has the email ${email}`, fix: 'set SIGMASIGHT_USER to the email of an active user (npm run create-user adds one) in the MCP client configuration, then restart the client' });
  throw new StartupFailureError({ cause: `the SigmaSight server at ${server.url} refused a session for npm run mcp (HTTP ${res.status}: ${body.detail ?? 'no detail'})`, fix: 'restart npm start, then the MCP client' });
}

/** Proves SIGMASIGHT_TOKEN works on the server before the client is told anything. @throws StartupFailureError */
async function checkToken(url: string, token: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(new URL('/api/v1/auth/me', url), { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    throw unreachable(url, err);
  }
  await res.body?.cancel();
  if (res.status === 401) throw new StartupFailureError({ cause: `${TOKEN_REFUSED} (checked at ${url})`, fix: 'put a fresh token in SIGMASIGHT_TOKEN, or remove it and set SIGMASIGHT_USER, in the MCP client configuration; then restart the client' });
}

export interface BridgeTarget {
  url: string;
  token: string;
}

/** Where the bridge sends messages, kept current: `renew` after a 401 or a lost server says whether to retry. */
export interface Target {
  get(): BridgeTarget;
  renew(reason: 'unauthorized' | 'unreachable'): Promise<boolean>;
  release(): Promise<void>;
}

/** The target for a server found in `dir`'s lock: the first session is issued (or the token checked) before this returns. */
export async function localTarget(opts: { dir: string; identity: StdioIdentity; server: LocalServerInfo; log: Logger }): Promise<Target> {
  const { dir, identity, log } = opts;
  const tokenFor = async (server: LocalServerInfo) => {
    if ('token' in identity) {
      await checkToken(server.url, identity.token);
      return identity.token;
    }
    return issueLocalSession(server, identity.email);
  };
  let server = opts.server;
  let current: BridgeTarget = { url: server.url, token: await tokenFor(server) };
  let renewing: Promise<boolean> | null = null;
  const renewOnce = async (reason: 'unauthorized' | 'unreachable'): Promise<boolean> => {
    if (reason === 'unauthorized' && 'token' in identity) return false;
    if (reason === 'unreachable') {
      const found = await findLocalServer(dir, { waitMs: 5_000 });
      if (found.kind !== 'server' || found.server.key === server.key) return false;
      server = found.server;
    }
    try {
      current = { url: server.url, token: await tokenFor(server) };
      log.info({ url: server.url, reason }, 'MCP bridge reconnected');
      return true;
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'MCP bridge could not renew its session');
      return false;
    }
  };
  return {
    get: () => current,
    renew: (reason) => (renewing ??= renewOnce(reason).finally(() => (renewing = null))),
    release: async () => {
      if ('token' in identity) return;
      await fetch(new URL('/api/v1/auth/logout', current.url), { method: 'POST', headers: { authorization: `Bearer ${current.token}` }, signal: AbortSignal.timeout(2_000) })
        .then((r) => r.body?.cancel())
        .catch(() => {});
    },
  };
}

/** fetch for the HTTP transport: the current server and token, one retry after a renewal. */
function targetFetch(target: Target): FetchLike {
  const attempt = (input: string | URL, init?: RequestInit) => {
    const { url, token } = target.get();
    const asked = new URL(String(input));
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    // a fresh loopback connection per request: a kept-alive one the server closes while idle (after
    // a client sat quiet for a while) would fail the next call in the race between the two timers
    headers.set('connection', 'close');
    return fetch(new URL(asked.pathname + asked.search, url), { ...init, headers });
  };
  return async (input, init) => {
    let res: Response;
    try {
      res = await attempt(input, init);
    } catch (err) {
      if (init?.signal?.aborted || !(await target.renew('unreachable'))) throw err;
      return attempt(input, init);
    }
    if (res.status !== 401 || !(await target.renew('unauthorized'))) return res;
    await res.body?.cancel();
    return attempt(input, init);
  };
}

/** Why a message could not be delivered, as the client will read it. */
function deliveryError(err: unknown, url: string): string {
  const text = (err as Error).message ?? String(err);
  if (/401/.test(text)) return `SigmaSight at ${url} refused the bridge's session (${text}); restart the MCP client`;
  if (/fetch failed|ECONNREFUSED|ECONNRESET|terminated/i.test(text)) return `the SigmaSight server at ${url} does not answer (${text}); start it again with npm start, or stop it and restart the MCP client so npm run mcp opens the database itself`;
  return `SigmaSight at ${url}: ${text}`;
}

/** Forwards stdio ↔ `/mcp` until the client closes stdin. */
export async function runBridge(opts: { target: Target; log: Logger; stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream }): Promise<void> {
  const { target, log } = opts;
  const http = new StreamableHTTPClientTransport(new URL('/mcp', target.get().url), { fetch: targetFetch(target) });
  const stdio = new StdioServerTransport(opts.stdin as never, opts.stdout as never);
  const initializing = new Set<string | number>();
  const toClient = (msg: JSONRPCMessage) => stdio.send(msg).catch((err: unknown) => log.warn({ err: (err as Error).message }, 'could not write to the MCP client'));

  const inFlight = new Set<Promise<unknown>>();
  stdio.onmessage = (msg) => {
    if (isInitializeRequest(msg) && isJSONRPCRequest(msg)) initializing.add(msg.id);
    const sent = http.send(msg).catch((err: unknown) => {
      log.warn({ err: (err as Error).message }, 'could not forward a message to the SigmaSight server');
      if (isJSONRPCRequest(msg)) return toClient({ jsonrpc: '2.0', id: msg.id, error: { code: ProtocolErrorCode.InternalError, message: deliveryError(err, target.get().url) } });
    });
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent));
  };
  http.onmessage = (msg) => {
    // the negotiated revision goes into every later request's MCP-Protocol-Version header
    if (isJSONRPCResultResponse(msg) && initializing.delete(msg.id) && typeof msg.result['protocolVersion'] === 'string') http.setProtocolVersion(msg.result['protocolVersion']);
    void toClient(msg);
  };
  http.onerror = (err) => log.debug({ err: err.message }, 'MCP bridge transport');

  const stdin = opts.stdin ?? process.stdin;
  const closed = new Promise<void>((resolve) => {
    stdio.onclose = () => resolve();
    stdin.on('end', () => resolve());
    stdin.on('close', () => resolve());
  });
  await http.start();
  await stdio.start();
  log.info({ url: target.get().url }, 'SigmaSight MCP on stdio, bridged to the running server');
  await closed;
  // a client may close its end right after its last request: answer what is in flight first
  await Promise.race([Promise.allSettled([...inFlight]), sleep(DRAIN_MS)]);
  await stdio.close().catch(() => {});
  await http.close().catch(() => {});
  await target.release();
}
