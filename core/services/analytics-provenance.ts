/**
 * Provenance of stored analytics: the as-of date, the run that wrote the rows and the
 * data-quality flags of that date's stored valuations (stale closes, holdings priced through a
 * proxy). Every analytics read service attaches it, so a client always knows what it is reading.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { valuationsAt } from '../../db/queries/results.ts';
import { positions } from '../../db/schema/index.ts';
import type { DataQualityFlags } from '../contracts/common.ts';

export interface Provenance {
  as_of: string | null;
  run_id: string | null;
  data_quality: DataQualityFlags | null;
}

export const NO_PROVENANCE: Provenance = { as_of: null, run_id: null, data_quality: null };

async function proxiedHoldings(db: Db, portfolioId: string): Promise<string[]> {
  const rows = await db
    .select({ symbol: positions.symbol, proxy: positions.proxySymbol })
    .from(positions)
    .where(and(eq(positions.portfolioId, portfolioId), isNull(positions.deletedAt)));
  return rows.filter((r) => r.proxy).map((r) => `${r.symbol}→${r.proxy}`);
}

type FlagSource = Pick<Awaited<ReturnType<typeof valuationsAt>>[number], 'symbol' | 'proxySymbol' | 'isStale'>;

/** Provenance from stored valuations on `asOf`; `holdingsProxied` (`SYMBOL→PROXY`) stands in when none are stored. */
export function provenanceOf(asOf: string, runId: string | null, vals: readonly FlagSource[], holdingsProxied: () => string[]): Provenance {
  const stale = [...new Set(vals.filter((v) => v.isStale).map((v) => v.symbol))];
  const proxied = vals.length ? [...new Set(vals.filter((v) => v.proxySymbol).map((v) => `${v.symbol}→${v.proxySymbol}`))] : [...holdingsProxied()];
  stale.sort();
  proxied.sort();
  return { as_of: asOf, run_id: runId, data_quality: { stale: stale.length > 0, stale_symbols: stale, proxied: proxied.length > 0, proxied_symbols: proxied } };
}

/** Flags from the stored valuations on `asOf` (proxies from the positions when none are stored). */
export async function provenance(db: Db, portfolioId: string, asOf: string, runId: string | null): Promise<Provenance> {
  const vals = await valuationsAt(db, portfolioId, asOf);
  const holdings = vals.length ? [] : await proxiedHoldings(db, portfolioId);
  return provenanceOf(asOf, runId, vals, () => holdings);
}
