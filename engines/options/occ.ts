import { EngineError } from '../errors.ts';
import type { OptionRight } from './black-scholes.ts';

/** Structured fields of an OCC option symbol. `expiry` is an ISO date (YYYY-MM-DD). */
export interface OccFields {
  root: string;
  expiry: string;
  right: OptionRight;
  strike: number;
}

/**
 * Builds the OCC-style symbol `ROOT + YYMMDD + C|P + strike × 1000 as 8 digits`
 * (engines.md, global conventions), e.g. SPY, 2025-09-19, call, 460 → `SPY250919C00460000`.
 * @throws EngineError INVALID_INPUT for a malformed expiry or a strike outside (0, 99,999.999].
 */
export function buildOccSymbol(f: OccFields): string {
  const m = /^\d{2}(\d{2})-(\d{2})-(\d{2})$/.exec(f.expiry);
  if (!m) throw new EngineError('INVALID_INPUT', `expiry must be YYYY-MM-DD, got ${f.expiry}`);
  const milli = Math.round(f.strike * 1000);
  if (!(milli > 0 && milli < 1e8)) throw new EngineError('INVALID_INPUT', `strike out of OCC range: ${f.strike}`);
  return `${f.root}${m[1]}${m[2]}${m[3]}${f.right === 'call' ? 'C' : 'P'}${String(milli).padStart(8, '0')}`;
}

/**
 * Parses an OCC-style symbol back into its fields (20xx expiries).
 * @throws EngineError INVALID_INPUT when the symbol does not have the OCC shape.
 * @example parseOccSymbol('SPY250919C00460000') // { root: 'SPY', expiry: '2025-09-19', right: 'call', strike: 460 }
 */
export function parseOccSymbol(symbol: string): OccFields {
  const m = /^([A-Z.\-]{1,6})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/.exec(symbol);
  if (!m) throw new EngineError('INVALID_INPUT', `not an OCC option symbol: ${symbol}`);
  return { root: m[1]!, expiry: `20${m[2]}-${m[3]}-${m[4]}`, right: m[5] === 'C' ? 'call' : 'put', strike: Number(m[6]) / 1000 };
}
