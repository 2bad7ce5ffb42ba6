/**
 * The SSRF guard in front of every fetch the authorization server makes (client metadata
 * documents, jwks_uri). The address classifier is compared with Python's `ipaddress.is_global`
 * (test/fixtures/ip-global.json, generator beside it): it never calls an address public that the
 * reference calls non-global, and is stricter by design for a named few. The fetch itself: https
 * only, every resolved address checked (one private address among public ones refuses), the
 * connection pinned to the checked address, no redirect followed, a body over 5 KiB and a server
 * that never answers both refused.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientFetchError, createClientFetch, isPublicAddress } from '../../core/auth/oauth/client-fetch.ts';
import { startMetadataHost, type MetadataHost } from './helpers.ts';

const REFERENCE = JSON.parse(readFileSync(new URL('../fixtures/ip-global.json', import.meta.url), 'utf8')) as { source: string; addresses: Record<string, boolean> };

/** Global per the reference, refused here on purpose: no TCP service (multicast), IETF protocol assignments, NAT64 of a private address, deprecated site-local. */
const STRICTER = new Set(['192.0.0.8', '224.0.0.1', '239.255.255.250', 'ff02::1', 'ff05::2', '64:ff9b::a00:1', 'fec0::1']);

describe('isPublicAddress', () => {
  it(`agrees with ${REFERENCE.source}, stricter only for the named addresses`, () => {
    const disagreements = Object.entries(REFERENCE.addresses).filter(([a, global]) => isPublicAddress(a) !== global).map(([a]) => a);
    expect(disagreements.sort()).toEqual([...STRICTER].sort());
    for (const a of STRICTER) expect(REFERENCE.addresses[a]).toBe(true);
  });

  it('never calls loopback, private, link-local, CGNAT or IPv4-mapped addresses public', () => {
    const v4 = (a: number, b: number, c: number, d: number) => `${a}.${b}.${c}.${d}`;
    const octet = fc.integer({ min: 0, max: 255 });
    const privateV4 = fc.oneof(
      fc.tuple(octet, octet, octet).map(([b, c, d]) => v4(10, b, c, d)),
      fc.tuple(octet, octet, octet).map(([b, c, d]) => v4(127, b, c, d)),
      fc.tuple(octet, octet).map(([c, d]) => v4(192, 168, c, d)),
      fc.tuple(octet, octet).map(([c, d]) => v4(169, 254, c, d)),
      fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([b, c, d]) => v4(172, b, c, d)),
      fc.tuple(fc.integer({ min: 64, max: 127 }), octet, octet).map(([b, c, d]) => v4(100, b, c, d)),
    );
    fc.assert(fc.property(privateV4, (a) => !isPublicAddress(a) && !isPublicAddress(`::ffff:${a}`)), { numRuns: 300 });
    fc.assert(fc.property(fc.tuple(octet, octet, octet, octet), ([a, b, c, d]) => !isPublicAddress(`::ffff:${v4(a, b, c, d)}`)), { numRuns: 200 });
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), (x) => !isPublicAddress(`fe80::${x.toString(16)}`) && !isPublicAddress(`fd00::${x.toString(16)}`)), { numRuns: 100 });
    expect(isPublicAddress('not-an-ip')).toBe(false);
  });
});

describe('createClientFetch', () => {
  let host: MetadataHost;
  beforeAll(async () => {
    host = await startMetadataHost();
    host.serve('/oauth/client.json', { client_id: 'x', client_name: 'ok' });
    host.serve('/big.json', { filler: 'x'.repeat(6 * 1024) });
  });
  afterAll(() => host?.close());

  const port = () => new URL(host.origin).port;
  const guarded = (hosts: Record<string, string[]>, allow: string[] = [], timeoutMs = 3_000) =>
    createClientFetch({ resolve: async (h) => hosts[h] ?? [], allowPrivateHosts: new Set(allow), ca: host.ca, timeoutMs });

  it('fetches from an allowed host, pinned to the checked address', async () => {
    const f = guarded({ 'client.test': ['127.0.0.1'] }, ['client.test']);
    const res = await f(`https://client.test:${port()}/oauth/client.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ client_id: 'x', client_name: 'ok' });
  });

  it('refuses http, credentials, private and mixed resolutions, and unresolvable hosts', async () => {
    const f = guarded({ 'evil.test': ['127.0.0.1'], 'mixed.test': ['93.184.216.34', '10.0.0.1'], 'mapped.test': ['::ffff:127.0.0.1'] });
    for (const url of ['http://client.test/x', `https://user:pw@client.test:${port()}/x`, `https://evil.test:${port()}/oauth/client.json`, 'https://mixed.test/x', 'https://mapped.test/x', 'https://nowhere.test/x', 'https://127.0.0.1/x', 'https://[::1]/x', 'https://169.254.169.254/x']) {
      await expect(f(url), url).rejects.toBeInstanceOf(ClientFetchError);
    }
    expect(host.requests.filter((r) => r === '/oauth/client.json').length).toBeLessThanOrEqual(1);
  });

  it('follows no redirect, refuses a body over 5 KiB and a server that does not answer in time', async () => {
    const f = guarded({ 'client.test': ['127.0.0.1'] }, ['client.test'], 400);
    expect((await f(`https://client.test:${port()}/redirect`)).status).toBe(302);
    await expect(f(`https://client.test:${port()}/big.json`)).rejects.toThrow(/larger than 5120 bytes/);
    const t0 = performance.now();
    await expect(f(`https://client.test:${port()}/slow`)).rejects.toBeInstanceOf(ClientFetchError);
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(350);
    expect(ms).toBeLessThan(2_000);
  });
});
