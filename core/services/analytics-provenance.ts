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

/** Flags from the stored valuations on `asOf` (proxies from the positions when none are stored). */
export async function provenance(db: Db, portfolioId: string, asOf: string, runId: string | null, loaded?: Awaited<ReturnType<typeof valuationsAt>>): Promise<Provenance> {
  const vals = loaded ?? (await valuationsAt(db, portfolioId, asOf));
  const stale = [...new Set(vals.filter((v) => v.isStale).map((v) => v.symbol))];
  const proxied = vals.length
    ? [...new Set(vals.filter((v) => v.proxySymbol).map((v) => `${v.symbol}→${v.proxySymbol}`))]
    : await proxiedHoldings(db, portfolioId);
  stale.sort();
  proxied.sort();
  return { as_of: asOf, run_id: runId, data_quality: { stale: stale.length > 0, stale_symbols: stale, proxied: proxied.length > 0, proxied_symbols: proxied } };
}
