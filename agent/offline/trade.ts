/**
 * Book changes the offline responder understands: "add 10 AAPL at 190" (also buy, short, a
 * trailing "short", "on 2026-07-01"), "sell 5 TSLA" / "sell half my TSLA" (a smaller open
 * quantity, or a close when "at PRICE" ends the whole holding) and "close my TSLA at 250". It
 * only proposes the write tool call; the loop turns that into an approval, and after the user
 * decided the same step reads the tool's reply and confirms it, or says the user declined.
 */
import type { ToolCallRequest } from '../model.ts';
import type { ToolReply } from './reply.ts';

const NUM = String.raw`(\d+(?:\.\d+)?)`;
const SYM = String.raw`([A-Za-z][A-Za-z0-9.-]{0,14})`;
const SHARES = String.raw`(?:\s+(?:shares?|units?)(?:\s+of)?)?`;
const AT = String.raw`(?:\s+(?:at|@)\s*\$?${NUM})`;
const END = String.raw`\s*[.!]?\s*$`;

const ADD = new RegExp(String.raw`^\s*(?:please\s+)?(add|buy|short)\s+${NUM}${SHARES}\s+${SYM}${SHARES}${AT}((?:\s+(?:short|long|on\s+\d{4}-\d{2}-\d{2}))*)${END}`, 'i');
const SELL = new RegExp(String.raw`^\s*(?:please\s+)?sell\s+(half|all|${NUM})${SHARES}\s+(?:(?:of\s+)?my\s+)?${SYM}${SHARES}${AT}?${END}`, 'i');
const CLOSE = new RegExp(String.raw`^\s*(?:please\s+)?close\s+(?:out\s+)?(?:my\s+)?${SYM}(?:\s+position)?${AT}?${END}`, 'i');

/** Any book change the responder understands (the router's rule). */
export const TRADE_COMMAND = new RegExp(`${ADD.source}|${SELL.source}|${CLOSE.source}`, 'i');

export type TradeCommand =
  | { kind: 'add'; symbol: string; quantity: number; price: number; side: 'long' | 'short'; entryDate: string | null }
  | { kind: 'sell'; symbol: string; amount: number | 'half' | 'all'; price: number | null }
  | { kind: 'close'; symbol: string; price: number | null };

export function parseTrade(text: string): TradeCommand | null {
  const add = ADD.exec(text);
  if (add) {
    const rest = add[5] ?? '';
    const short = add[1]!.toLowerCase() === 'short' || /\bshort\b/i.test(rest);
    return { kind: 'add', symbol: add[3]!.toUpperCase(), quantity: Number(add[2]), price: Number(add[4]), side: short ? 'short' : 'long', entryDate: /\d{4}-\d{2}-\d{2}/.exec(rest)?.[0] ?? null };
  }
  const sell = SELL.exec(text);
  if (sell) {
    const a = sell[1]!.toLowerCase();
    return { kind: 'sell', symbol: sell[3]!.toUpperCase(), amount: a === 'half' || a === 'all' ? a : Number(a), price: sell[4] ? Number(sell[4]) : null };
  }
  const close = CLOSE.exec(text);
  if (close) return { kind: 'close', symbol: close[1]!.toUpperCase(), price: close[2] ? Number(close[2]) : null };
  return null;
}

export type TradeStep = { calls: ToolCallRequest[] } | { say: string };

const WRITES = ['add_position', 'update_position', 'close_position'];
const call = (name: string, args: Record<string, unknown>): ToolCallRequest => ({ id: `call_offline_${name}_${crypto.randomUUID().slice(0, 8)}`, name, arguments: JSON.stringify(args) });

interface OpenPosition {
  id: string;
  symbol: string;
  side: string;
  quantity: number;
  exit_date: string | null;
}

/** What the write's reply means for the user: done, declined, or why it did not happen. */
function outcomeText(reply: ToolReply): string {
  if (reply.ok) return `Done: ${reply.summary}`;
  const error = reply.error ?? 'the tool failed';
  if (error.startsWith('DECLINED:')) return 'You declined the change, so nothing was changed.';
  return `The change was not made: ${error}`;
}

/** The position a sell or close means: the one open holding in the symbol. */
function holdingOf(list: ToolReply, symbol: string): OpenPosition | string {
  if (!list.ok) return `I could not read your positions: ${list.error ?? 'the tool failed'}`;
  const open = ((list.data?.['positions'] ?? []) as OpenPosition[]).filter((p) => p.symbol === symbol && !p.exit_date);
  if (open.length === 0) return `You have no open ${symbol} position in this portfolio, so there is nothing to sell or close.`;
  if (open.length > 1) return `You have ${open.length} open ${symbol} positions; tell me which one by editing it in the portfolio, or close them one at a time.`;
  return open[0]!;
}

function sellOrClose(cmd: Exclude<TradeCommand, { kind: 'add' }>, p: OpenPosition): TradeStep {
  const held = Math.abs(p.quantity);
  const amount = cmd.kind === 'close' || cmd.amount === 'all' ? held : cmd.amount === 'half' ? held / 2 : cmd.amount;
  if (p.side !== 'long' && cmd.kind === 'sell') return { say: `Your ${p.symbol} position is short; selling does not reduce it. Say "close my ${p.symbol} at PRICE" to close it.` };
  if (amount > held) return { say: `You hold ${held} ${p.symbol}; you cannot sell ${amount}.` };
  if (amount < held) return { calls: [call('update_position', { position_id: p.id, changes: { quantity: held - amount } })] };
  if (cmd.price === null) return { say: `That closes the whole ${p.symbol} position, which needs the exit price: say "close my ${p.symbol} at PRICE".` };
  return { calls: [call('close_position', { position_id: p.id, exit_price: cmd.price })] };
}

/** The next step of a book change given this turn's tool replies so far. */
export function tradeStep(cmd: TradeCommand, replies: ToolReply[]): TradeStep {
  const written = replies.find((r) => WRITES.includes(r.name));
  if (written) return { say: outcomeText(written) };
  if (cmd.kind === 'add') {
    return { calls: [call('add_position', { symbol: cmd.symbol, quantity: cmd.quantity, entry_price: cmd.price, side: cmd.side, ...(cmd.entryDate ? { entry_date: cmd.entryDate } : {}) })] };
  }
  const list = replies.find((r) => r.name === 'list_positions');
  if (!list) return { calls: [call('list_positions', { include_closed: false })] };
  const p = holdingOf(list, cmd.symbol);
  return typeof p === 'string' ? { say: p } : sellOrClose(cmd, p);
}
