/**
 * The only way the authorization server reaches out: fetching a client's metadata document (a
 * `client_id` that is an https URL) or its `jwks_uri`. A guard against server-side request
 * forgery sits in front of every request:
 * - https only, no credentials in the URL, no redirects followed (a 3xx is a failed fetch);
 * - the host name is resolved first and every address it resolves to must be public: loopback,
 *   private (RFC 1918), carrier-grade NAT, link-local, unique-local (fc00::/7), unspecified,
 *   multicast, documentation, benchmarking and IPv4-mapped/translated IPv6 ranges are refused;
 * - the connection goes to the address that was checked (no second lookup a rebinding DNS
 *   server could answer differently), with TLS verified against the original host name;
 * - a time limit for the whole exchange and a size limit on the body.
 * Tests inject a resolver, host names allowed to resolve to private addresses, and a CA; the
 * production defaults (system DNS, nothing allowed, system CAs) are never widened.
 */
import { lookup } from 'node:dns/promises';
import { request } from 'node:https';
import { BlockList, isIP } from 'node:net';

export interface ClientFetchOptions {
  /** Host name → addresses. Default: the system resolver (all addresses). */
  resolve?: (hostname: string) => Promise<string[]>;
  /** Host names that may resolve to non-public addresses. Default: none (tests name their local host). */
  allowPrivateHosts?: ReadonlySet<string>;
  /** PEM CA certificates to trust instead of the system ones (tests: a self-signed certificate). */
  ca?: string;
  /** Time limit of one fetch, DNS included. Default 3 s. */
  timeoutMs?: number;
  /** Largest body accepted. Default 5 KiB (client metadata documents are small). */
  maxBytes?: number;
}

// separate lists: a BlockList with IPv6 rules also matches IPv4 addresses against their mapped form
const BLOCKED_V4 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED_V4.addSubnet(net, prefix, 'ipv4');
const BLOCKED_V6 = new BlockList();
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23],
  ['2001:db8::', 32], ['2002::', 16], ['3fff::', 20], ['5f00::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) BLOCKED_V6.addSubnet(net, prefix, 'ipv6');

/** True when `address` (an IPv4 or IPv6 literal) is a public unicast address a client document may live on. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !BLOCKED_V4.check(address, 'ipv4');
  if (family === 6) return !BLOCKED_V6.check(address, 'ipv6');
  return false;
}

export class ClientFetchError extends Error {
  override readonly name = 'ClientFetchError';
}

const systemResolve = async (hostname: string): Promise<string[]> => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

function withTimeout<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ClientFetchError('client fetch timed out'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The address to connect to: the host's addresses, all of them public (or the host allowed to be private). */
async function vettedAddress(url: URL, opts: ClientFetchOptions, signal: AbortSignal): Promise<string> {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const addresses = isIP(host) ? [host] : await withTimeout((opts.resolve ?? systemResolve)(host), signal);
  if (addresses.length === 0) throw new ClientFetchError(`${host} does not resolve`);
  const privateAllowed = opts.allowPrivateHosts?.has(host.toLowerCase()) === true;
  if (!privateAllowed && !addresses.every(isPublicAddress)) throw new ClientFetchError(`${host} resolves to a non-public address`);
  return addresses[0]!;
}

function assertFetchable(url: URL): void {
  if (url.protocol !== 'https:') throw new ClientFetchError('only https URLs are fetched');
  if (url.username || url.password) throw new ClientFetchError('URLs with credentials are not fetched');
}

/**
 * A `fetch` for oidc-provider's `fetch` option: GET only, answers a `Response` whose body is at
 * most `maxBytes`; throws ClientFetchError when the guard refuses or a limit is passed.
 */
export function createClientFetch(opts: ClientFetchOptions = {}): (input: string | URL, init?: RequestInit) => Promise<Response> {
  const timeoutMs = opts.timeoutMs ?? 3_000;
  const maxBytes = opts.maxBytes ?? 5 * 1024;
  return async (input, init = {}) => {
    const url = new URL(String(input));
    assertFetchable(url);
    const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    const address = await vettedAddress(url, opts, signal);
    const family = isIP(address);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    return new Promise<Response>((resolve, reject) => {
      const req = request(url, {
        method: 'GET',
        headers: { ...headers, 'user-agent': 'SigmaSight-OAuth', 'accept-encoding': 'identity' },
        // connect to the checked address only; TLS still verifies the certificate for url.hostname
        lookup: (_host, o, cb) => ((o as { all?: boolean }).all ? (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]) : cb(null, address, family)),
        servername: isIP(url.hostname) ? undefined : url.hostname,
        ...(opts.ca ? { ca: opts.ca } : {}),
        signal,
        agent: false,
      }, (res) => {
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > maxBytes) {
          res.destroy();
          return reject(new ClientFetchError(`response larger than ${maxBytes} bytes`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            res.destroy();
            reject(new ClientFetchError(`response larger than ${maxBytes} bytes`));
          } else chunks.push(chunk);
        });
        res.on('end', () => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') out.set(k, v);
          const status = res.statusCode ?? 502;
          resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: out }));
        });
        res.on('error', reject);
      });
      req.on('error', (err) => reject(signal.aborted ? new ClientFetchError('client fetch timed out') : err));
      req.end();
    });
  };
}
