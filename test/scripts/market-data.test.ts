/** `npm run market-data`: the offline ensure-history acceptance and bad arguments. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTs } from '../helpers/run.ts';

describe('market-data command', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sigmasight-md-'));
    const seeded = runTs('scripts/seed.ts', [], { PGLITE_DIR: dir }, 120_000);
    expect(seeded.status, seeded.stderr).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ensure-history on the bundled provider reports every demo holding full or proxied, none missing', () => {
    const r = runTs('scripts/market-data.ts', ['ensure-history'], { PGLITE_DIR: dir }, 120_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('providers bundled');
    expect(r.stdout).toContain('history of every holding as of 2026-07-13 (252 trading days needed)');
    const rows = r.stdout.split('\n').filter((l) => /^\S+\s+(full|proxied|limited|missing)\s+\d+\/252\s/.test(l));
    expect(rows).toHaveLength(63); // 16 + 17 + 30 demo positions
    expect(rows.filter((l) => !/^\S+\s+(full|proxied)\s+252\/252\s/.test(l))).toEqual([]);
    const proxied = rows.filter((l) => /\sproxied\s/.test(l)).map((l) => l.split(/\s+/)[0]).sort();
    expect(proxied).toEqual(['FCNTX', 'FMAGX', 'FXNAX', 'VTIAX']);
    expect(r.stdout).toMatch(/holdings: 59 full, 4 proxied, 0 limited, 0 missing/);
  });

  it('sync and backfill are offline no-ops on stored data', () => {
    for (const args of [['sync'], ['backfill', '--days', '90', '--date', '2026-07-13']]) {
      const r = runTs('scripts/market-data.ts', args, { PGLITE_DIR: dir }, 120_000);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/rows written: 0 prices, 0 yields/);
    }
  });

  it.each([
    [[], 'missing command'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['backfill', '--days', 'ninety'], '--days must be a whole number'],
    [['sync', '--date', '2026-13-45'], '--date must be a date'],
    [['sync', '--bogus'], "Unknown option '--bogus'"],
  ])('%j exits 1 with a message and the usage', (args, message) => {
    const r = runTs('scripts/market-data.ts', args, { PGLITE_DIR: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('usage: npm run market-data');
  });

  it('a bad provider setting stops with one line naming the variable', () => {
    const r = runTs('scripts/market-data.ts', ['sync'], { PGLITE_DIR: dir, MARKET_DATA_PROVIDERS: 'yahoo' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^Invalid environment variable MARKET_DATA_PROVIDERS: [^\n]+$/);
  });
});
