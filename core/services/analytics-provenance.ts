/**
 * Provenance of stored analytics: the as-of date, the run that wrote the rows and the
 * data-quality flags of that date's stored valuations (stale closes, holdings priced through a
 * proxy). Every analytics read service attaches it, so a client always knows what it is reading.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { queryRows } from '../../db/exec.ts';
import type { Db } from '../../db/client.ts';
import { valuationsAt } from '../../db/queries/results.ts';
import { positions } from '../../db/schema/index.ts';
import type { DataQualityFlags } from '../contracts/common.ts';

export interface StaleChange {
  audit_id: string;
  action: string;
  at: string;
  door: string;
}

export interface Provenance {
  as_of: string | null;
  run_id: string | null;
  data_quality: DataQualityFlags | null;
  stale: boolean;
  stale_change: StaleChange | null;
}

export const NO_PROVENANCE: Provenance = { as_of: null, run_id: null, data_quality: null, stale: false, stale_change: null };

/** When the book last changed (and how), and when the run behind the results started. */
export interface Staleness {
  bookChangedAt: string | Date | null;
  bookChange: StaleChange | null;
  runStartedAt: string | Date | null;
}

/** Results are stale when the book changed after their run started (a run reads the book after it starts). */
export function staleOf(s: Staleness | null | undefined): Pick<Provenance, 'stale' | 'stale_change'> {
  if (!s?.bookChangedAt) return { stale: false, stale_change: null };
  const changed = new Date(s.bookChangedAt).getTime();
  const started = s.runStartedAt === null ? -Infinity : new Date(s.runStartedAt).getTime();
  return changed > started ? { stale: true, stale_change: s.bookChange } : { stale: false, stale_change: null };
}

/** The book's last change and the start of run `runId`, for `staleOf`. */
export async function stalenessOf(db: Db, portfolioId: string, runId: string | null): Promise<Staleness> {
  const [row] = await queryRows<{ changed: string | null; change: StaleChange | string | null; started: string | null }>(
    db,
    sql`select p.book_changed_at::text as changed, p.book_change as change, coalesce(r.started_at, r.created_at)::text as started
        from portfolios p left join batch_runs r on r.id = ${runId}::uuid where p.id = ${portfolioId}::uuid`,
  );
  const change = row?.change ?? null;
  return { bookChangedAt: row?.changed ?? null, bookChange: typeof change === 'string' ? (JSON.parse(change) as StaleChange) : change, runStartedAt: row?.started ?? null };
}

async function proxiedHoldings(db: Db, portfolioId: string): Promise<string[]> {
  const rows = await db
    .select({ symbol: positions.symbol, proxy: positions.proxySymbol })
    .from(positions)
    .where(and(eq(positions.portfolioId, portfolioId), isNull(positions.deletedAt)));
  return rows.filter((r) => r.proxy).map((r) => `${r.symbol}→${r.proxy}`);
}

type FlagSource = Pick<Awaited<ReturnType<typeof valuationsAt>>[number], 'symbol' | 'proxySymbol' | 'isStale'> & { flags?: readonly string[] | null };

/** Provenance from stored valuations on `asOf`; `holdingsProxied` (`SYMBOL→PROXY`) stands in when none are stored. */
export function provenanceOf(asOf: string, runId: string | null, vals: readonly FlagSource[], holdingsProxied: () => string[], staleness?: Staleness | null): Provenance {
  const stale = [...new Set(vals.filter((v) => v.isStale).map((v) => v.symbol))];
  const proxied = vals.length ? [...new Set(vals.filter((v) => v.proxySymbol).map((v) => `${v.symbol}→${v.proxySymbol}`))] : [...holdingsProxied()];
  const unpriced = [...new Set(vals.filter((v) => v.flags?.includes('unpriced')).map((v) => v.symbol))];
  stale.sort();
  proxied.sort();
  unpriced.sort();
  return {
    as_of: asOf, run_id: runId,
    data_quality: { stale: stale.length > 0, stale_symbols: stale, proxied: proxied.length > 0, proxied_symbols: proxied, unpriced: unpriced.length > 0, unpriced_symbols: unpriced },
    ...staleOf(staleness),
  };
}

/** Flags from the stored valuations on `asOf` (proxies from the positions when none are stored). */
export async function provenance(db: Db, portfolioId: string, asOf: string, runId: string | null): Promise<Provenance> {
  const [vals, staleness] = await Promise.all([valuationsAt(db, portfolioId, asOf), stalenessOf(db, portfolioId, runId)]);
  const holdings = vals.length ? [] : await proxiedHoldings(db, portfolioId);
  return provenanceOf(asOf, runId, vals, () => holdings, staleness);
}
