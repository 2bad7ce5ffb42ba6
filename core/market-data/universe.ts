/**
 * Which symbols a sync requests, and as what. Holdings, option underlyings, declared proxies,
 * active factor ETFs and SPY are requested as equities, funds or indices; OCC option symbols only
 * from providers that serve options; symbols flagged unresolvable are never requested.
 */
import type { Executor } from '../../db/exec.ts';
import { listOpenOptionSymbols, listUniverse, securityFlags, type UniverseRow } from '../../db/queries/market-coverage.ts';
import type { InstrumentKind } from './provider.ts';

/** Benchmarks every run needs regardless of holdings. */
export const BENCHMARK_SYMBOLS = ['SPY'] as const;

/** OCC option symbol: root (1–6 letters), YYMMDD, C/P, strike × 1000 in 8 digits. */
export const OCC_SYMBOL = /^[A-Z]{1,6}\d{6}[CP]\d{8}$/;

export interface SyncTarget {
  symbol: string;
  kind: InstrumentKind;
  roles: string[];
  /** Why the symbol is not requested at all (unresolvable ticker). */
  skip?: string;
}

/** Instrument kind from the security master, falling back to the symbol's shape. */
export function instrumentKind(symbol: string, securityType: UniverseRow['securityType']): InstrumentKind {
  if (securityType === 'option' || (securityType === null && OCC_SYMBOL.test(symbol))) return 'option';
  if (securityType === 'mutual_fund') return 'fund';
  if (securityType === 'index') return 'index';
  return 'equity';
}

const target = (symbol: string, type: UniverseRow['securityType'], unresolvable: boolean, roles: string[]): SyncTarget => ({
  symbol, kind: instrumentKind(symbol, type), roles, ...(unresolvable ? { skip: 'marked unresolvable; not requested' } : {}),
});

/** Sync targets: the engines' universe, or exactly `symbols` when given (upper-cased). */
export async function buildTargets(db: Executor, symbols?: readonly string[]): Promise<SyncTarget[]> {
  if (symbols?.length) {
    const wanted = [...new Set(symbols.map((s) => s.trim().toUpperCase()).filter(Boolean))];
    const flags = await securityFlags(db, wanted);
    return wanted.map((s) => target(s, flags.get(s)?.securityType ?? null, flags.get(s)?.isUnresolvable ?? false, ['requested']));
  }
  const rows = await listUniverse(db, BENCHMARK_SYMBOLS);
  const options = await listOpenOptionSymbols(db);
  return [
    ...rows.map((r) => target(r.symbol, r.securityType, r.isUnresolvable, r.roles)),
    ...options.map((o) => ({ symbol: o.symbol, kind: 'option' as const, roles: ['option'] })),
  ];
}
