/** `npm run market-data`: the offline ensure-history acceptance, a run against a fake FMP, and bad arguments. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPgliteDir } from '../helpers/db.ts';
import { entryArgs, ROOT, runTs, type RunResult } from '../helpers/run.ts';
import { FakeMarketServer } from '../core/market-data/fake-market-server.ts';

/** runTs without blocking the event loop, so an in-process fake server can answer the child. */
function runTsAsync(file: string, args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...entryArgs(file), ...args], { cwd: ROOT, env: { PATH: process.env['PATH'], HOME: process.env['HOME'], LOG_LEVEL: 'silent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('market-data command', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sigmasight-md-'));
    await seedPgliteDir(dir);
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
  }, 120_000);

  it('sync and backfill are offline no-ops on stored data', () => {
    for (const args of [['sync'], ['backfill', '--days', '90', '--date', '2026-07-13']]) {
      const r = runTs('scripts/market-data.ts', args, { PGLITE_DIR: dir }, 120_000);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/rows written: 0 prices, 0 yields/);
    }
  }, 240_000);

  it('backfill from FMP (a local fake) writes the served closes, reports the malformed one, and reruns write nothing', async () => {
    const fake = await new FakeMarketServer().start();
    try {
      fake.always.set('META', 'malformed');
      const env = { PGLITE_DIR: dir, FMP_API_KEY: 'test-key', FMP_BASE_URL: fake.baseUrl, MARKET_DATA_PROVIDERS: 'fmp' };
      const args = ['backfill', '--days', '10', '--date', '2026-07-13', '--symbols', 'AAPL,MSFT,META'];
      const r = await runTsAsync('scripts/market-data.ts', args, env);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('providers fmp > bundled');
      expect(r.stdout).toMatch(/^fmp\s+3\s+2\s+0\s+1\s+20\s/m); // requested, ok, empty, failed, rows written
      expect(r.stdout).toMatch(/^META\s+fmp\s+fmp \/stable\/historical-price-eod\/dividend-adjusted: response is not valid JSON\s+no\s*$/m);
      expect(r.stdout).not.toContain('test-key');
      const again = await runTsAsync('scripts/market-data.ts', args, env);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/rows written: 0 prices, 0 yields/);
    } finally {
      await fake.stop();
    }
  }, 240_000);

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
