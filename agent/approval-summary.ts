/**
 * The exact change a proposed write makes, in plain words, for the approval the user decides
 * on: "Add 10 AAPL (long) at 190.00 entered 2026-07-13 to portfolio Demo". Edits, closes and
 * deletes read the position as it stands now, so the summary says what changes, before → after.
 * The arguments are checked against the same contracts the tool uses; a call that could not run
 * (invalid arguments, an unknown position) is answered to the model as a tool error instead of
 * being proposed to the user.
 */
import type { z } from '@hono/zod-openapi';
import { PortfolioCreateSchema, PositionCloseSchema, PositionCreateSchema, PositionUpdateSchema, type Position } from '../core/contracts/book.ts';
import { getImport } from '../core/services/book-imports.ts';
import { getBookPosition, instrumentOf } from '../core/services/book-positions.ts';
import type { OwnedPortfolio, Principal, ServiceDeps } from '../core/services/context.ts';
import { today } from '../core/services/positions.ts';
import { toolErrorText } from '../mcp-server/tools/define.ts';

export type ChangeCheck = { ok: true; summary: string } | { ok: false; error: string };

export interface ChangeInput {
  deps: ServiceDeps;
  principal: Principal;
  portfolio: OwnedPortfolio;
  tool: string;
  /** The arguments as the tool will receive them (portfolio_id bound). */
  args: Record<string, unknown>;
}

const price = (x: number) => x.toFixed(2);
const qty = (x: number) => Math.abs(x).toLocaleString('en-US', { maximumFractionDigits: 6 });
const usd = (x: number) => `${x < 0 ? '−' : ''}$${Math.abs(x).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const quoted = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 79)}…` : s);
const inPortfolio = (p: OwnedPortfolio) => `portfolio ${quoted(p.name)}`;

function invalid(err: z.ZodError): ChangeCheck {
  const issues = err.issues.map((i) => `${i.path.length ? i.path.join('.') : '(arguments)'}: ${i.message}`).join('; ');
  return { ok: false, error: `VALIDATION: ${issues}. Hint: check the arguments against the tool input schema and call again.` };
}

const without = (args: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(Object.entries(args).filter(([k]) => !keys.includes(k)));

/** `long 10 AAPL at 190.00 (entered 2026-07-01)`, and the exit of a closed one. */
export function positionWords(p: Position): string {
  return `${p.side} ${qty(p.quantity)} ${p.symbol} at ${price(p.entry_price)} (entered ${p.entry_date}${p.exit_date ? `, closed ${p.exit_date} at ${price(p.exit_price ?? 0)}` : ''})`;
}

function addSummary(c: ChangeInput): ChangeCheck {
  const parsed = PositionCreateSchema.safeParse(without(c.args, 'portfolio_id'));
  if (!parsed.success) return invalid(parsed.error);
  const i = parsed.data;
  const inst = instrumentOf(i);
  const option = inst.asset_type === 'option' ? ` (${inst.right} ${inst.underlying} strike ${inst.strike} expiring ${inst.expiry})` : '';
  const extras = [i.tags?.length ? `tags ${i.tags.join(', ')}` : '', i.notes ? `note ${quoted(i.notes)}` : ''].filter(Boolean).join(', ');
  return { ok: true, summary: `Add ${qty(i.quantity)} ${inst.symbol}${option} (${i.side}) at ${price(i.entry_price)} entered ${i.entry_date ?? today(c.deps)} to ${inPortfolio(c.portfolio)}${extras ? `, ${extras}` : ''}.` };
}

const FIELDS = { quantity: 'quantity', side: 'side', entry_price: 'entry price', entry_date: 'entry date', tags: 'tags', notes: 'notes' } as const;

function fieldText(key: keyof typeof FIELDS, v: unknown): string {
  if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return 'none';
  if (key === 'quantity') return qty(Number(v));
  if (key === 'entry_price') return price(Number(v));
  if (Array.isArray(v)) return v.join(', ');
  return key === 'notes' ? quoted(String(v)) : String(v);
}

async function updateSummary(c: ChangeInput): Promise<ChangeCheck> {
  const changes = PositionUpdateSchema.safeParse(c.args['changes']);
  if (!changes.success) return invalid(changes.error);
  const before = await getBookPosition(c.deps, c.principal, c.portfolio.id, String(c.args['position_id'] ?? ''));
  const now: Record<keyof typeof FIELDS, unknown> = { quantity: Math.abs(before.quantity), side: before.side, entry_price: before.entry_price, entry_date: before.entry_date, tags: before.tags, notes: before.notes };
  const diffs = (Object.keys(FIELDS) as Array<keyof typeof FIELDS>)
    .filter((k) => changes.data[k] !== undefined)
    .map((k) => `${FIELDS[k]} ${fieldText(k, now[k])} → ${fieldText(k, changes.data[k])}`);
  return { ok: true, summary: `Edit ${positionWords(before)} in ${inPortfolio(c.portfolio)}: ${diffs.join('; ')}.` };
}

async function closeSummary(c: ChangeInput): Promise<ChangeCheck> {
  const parsed = PositionCloseSchema.safeParse(without(c.args, 'portfolio_id', 'position_id'));
  if (!parsed.success) return invalid(parsed.error);
  const before = await getBookPosition(c.deps, c.principal, c.portfolio.id, String(c.args['position_id'] ?? ''));
  const exitDate = parsed.data.exit_date ?? today(c.deps);
  const realised = (parsed.data.exit_price - before.entry_price) * before.quantity * before.multiplier;
  return { ok: true, summary: `Close ${positionWords(before)} in ${inPortfolio(c.portfolio)} at ${price(parsed.data.exit_price)} on ${exitDate}: open quantity ${qty(before.quantity)} → 0, realised P&L ${usd(realised)}.` };
}

async function deleteSummary(c: ChangeInput): Promise<ChangeCheck> {
  const before = await getBookPosition(c.deps, c.principal, c.portfolio.id, String(c.args['position_id'] ?? ''));
  return { ok: true, summary: `Delete ${positionWords(before)} from ${inPortfolio(c.portfolio)}: it leaves every date of the book (a mistaken entry; closing keeps the history).` };
}

function createPortfolioSummary(c: ChangeInput): ChangeCheck {
  const parsed = PortfolioCreateSchema.safeParse(c.args);
  if (!parsed.success) return invalid(parsed.error);
  const p = parsed.data;
  return { ok: true, summary: `Create a new portfolio ${quoted(p.name)} with opening equity ${usd(p.opening_equity)} and benchmark ${p.benchmark}${p.description ? `, description ${quoted(p.description)}` : ''}.` };
}

async function commitSummary(c: ChangeInput): Promise<ChangeCheck> {
  const preview = await getImport(c.deps, c.principal, c.portfolio.id, String(c.args['import_id'] ?? ''));
  const mode = c.args['mode'] === 'replace' ? 'replace' : 'merge';
  const s = preview.summary;
  const closing = mode === 'replace' ? `, and close ${s.close_on_replace} open position(s) the file does not list` : '';
  return { ok: true, summary: `Commit import ${preview.import_id} (${preview.format ?? 'unknown format'}, ${mode}) to ${inPortfolio(c.portfolio)}: ${s.create} new position(s), ${s.update} changed, ${s.unchanged} unchanged${closing}.` };
}

const SUMMARIES: Record<string, (c: ChangeInput) => ChangeCheck | Promise<ChangeCheck>> = {
  add_position: addSummary,
  update_position: updateSummary,
  close_position: closeSummary,
  delete_position: deleteSummary,
  create_portfolio: createPortfolioSummary,
  commit_import: commitSummary,
};

/** The summary of a proposed write, or the tool error the model gets when the call could not run. */
export async function describeChange(c: ChangeInput): Promise<ChangeCheck> {
  const describe = SUMMARIES[c.tool];
  try {
    if (describe) return await describe(c);
    return { ok: true, summary: `Run ${c.tool} on ${inPortfolio(c.portfolio)} with ${JSON.stringify(c.args)}.` };
  } catch (err) {
    return { ok: false, error: toolErrorText(err).text };
  }
}
