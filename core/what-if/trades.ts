/**
 * Applies simulated trades to an in-memory book. Trades are netted per position first, so a
 * position added and removed again leaves the book exactly as it was. Every net change fills at
 * the as-of price and is paid from (or credited to) cash: Δcash = −Δquantity × price × multiplier.
 */
import type { PositionRow, PositionState } from '../batch/types.ts';
import { positionStates } from '../batch/portfolio-state.ts';
import type { Trade } from '../contracts/what-if.ts';
import { AppError, notFound } from '../errors.ts';
import { isOptionType, multiplierOf } from '../../engines/valuation/position-type.ts';
import { pricePositions } from '../services/pricing.ts';
import type { ServiceDeps } from '../services/context.ts';
import { attachBetas, type Book } from './book.ts';

interface Target {
  symbol: string;
  existing: PositionState | null;
  base: number;
  target: number;
}

export interface AppliedTrade {
  symbol: string;
  position_id: string | null;
  quantity_before: number;
  quantity_after: number;
  price: number;
  cash_change: number;
}

function keyOf(book: Book, t: Trade, targets: Map<string, Target>): string {
  if (t.position_id) {
    const s = book.state.positions.find((p) => p.position.id === t.position_id);
    if (!s) throw notFound('position', t.position_id);
    return s.position.id;
  }
  const symbol = t.symbol?.trim().toUpperCase();
  if (!symbol) throw new AppError('VALIDATION', `${t.action}: give symbol or position_id`);
  const held = book.state.positions.find((p) => p.position.symbol === symbol && !isOptionType(p.position.positionType));
  if (held) return held.position.id;
  if (t.action !== 'add' && !targets.has(`new:${symbol}`)) throw notFound('position with symbol', symbol);
  return `new:${symbol}`;
}

/** Nets the trades into a target quantity per position. */
function netTrades(book: Book, trades: readonly Trade[]): Map<string, Target> {
  const targets = new Map<string, Target>();
  for (const t of trades) {
    const key = keyOf(book, t, targets);
    const existing = book.state.positions.find((p) => p.position.id === key) ?? null;
    const cur = targets.get(key) ?? { symbol: existing?.position.symbol ?? key.slice(4), existing, base: existing?.position.quantity ?? 0, target: existing?.position.quantity ?? 0 };
    if (t.action === 'remove') cur.target = 0;
    else {
      if (t.quantity == null || !Number.isFinite(t.quantity)) throw new AppError('VALIDATION', `${t.action} ${cur.symbol}: quantity is required`);
      cur.target = t.action === 'add' ? cur.target + t.quantity : t.quantity;
    }
    if (existing && isOptionType(existing.position.positionType) && cur.target !== 0 && Math.sign(cur.target) !== Math.sign(cur.base)) {
      throw new AppError('VALIDATION', `${cur.symbol}: an option position cannot change sign; remove it instead`);
    }
    targets.set(key, cur);
  }
  return targets;
}

const equityType = (q: number): PositionRow['positionType'] => (q > 0 ? 'LONG' : 'SHORT');

async function newRow(deps: ServiceDeps, book: Book, t: Target): Promise<PositionState> {
  const row: PositionRow = {
    id: `simulated:${t.symbol}`, portfolioId: book.state.id, symbol: t.symbol, positionType: equityType(t.target), quantity: t.target, entryPrice: 0, entryDate: book.asOf,
    exitDate: null, exitPrice: null, underlyingSymbol: null, strikePrice: null, expirationDate: null, proxySymbol: null,
  };
  const [price] = await pricePositions(deps.db, [row], book.asOf);
  if (!price || price.price === null) throw new AppError('UNPROCESSABLE', `${t.symbol} has no stored close on or before ${book.asOf}; simulate stocks and ETFs with prices`);
  return positionStates([{ ...row, entryPrice: price.price }], [price], book.asOf)[0]!;
}

/** The book after the trades, and the net change per position. */
export async function applyTrades(deps: ServiceDeps, book: Book, trades: readonly Trade[]): Promise<{ after: Book; applied: AppliedTrade[] }> {
  const changed = [...netTrades(book, trades).values()].filter((t) => t.target !== t.base);
  const replace = new Map<string, PositionState | null>();
  const appended: PositionState[] = [];
  const applied: AppliedTrade[] = [];
  let cash = book.state.cash;
  for (const t of changed) {
    let state: PositionState | null;
    if (t.existing) {
      const p = t.existing.position;
      const type = isOptionType(p.positionType) ? p.positionType : equityType(t.target);
      state = t.target === 0 ? null : positionStates([{ ...p, quantity: t.target, positionType: type }], [t.existing.price], book.asOf)[0]!;
      replace.set(p.id, state);
    } else {
      state = await newRow(deps, book, t);
      appended.push(state);
    }
    const price = (state ?? t.existing)!.price.price;
    if (price === null) throw new AppError('UNPROCESSABLE', `${t.symbol} has no price on ${book.asOf}; it cannot be traded in a simulation`);
    const type = (state ?? t.existing)!.position.positionType;
    const cashChange = -(t.target - t.base) * price * multiplierOf(type);
    cash += cashChange;
    applied.push({ symbol: t.symbol, position_id: t.existing?.position.id ?? null, quantity_before: t.base, quantity_after: t.target, price, cash_change: Math.round(cashChange * 100) / 100 });
  }
  const positions = [...book.state.positions.flatMap((s) => (replace.has(s.position.id) ? (replace.get(s.position.id) ? [replace.get(s.position.id)!] : []) : [s])), ...appended];
  return { after: { ...book, state: attachBetas({ ...book.state, cash, positions }, book.model) }, applied };
}
