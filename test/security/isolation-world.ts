/**
 * The world the isolation scan runs in: the app with its per-user caches on, the seeded demo
 * book, one finished batch run started by
 * each demo user for their own portfolio plus one system run over every portfolio, and for each
 * user two conversations with turns answered by the offline responder (tool calls stored). Each
 * user's records are gathered as "markers": the ids, names, chat texts and symbols no other user
 * may ever see.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { createParser } from 'eventsource-parser';
import { startSystemRun, type BatchServiceDeps } from '../../core/batch/service.ts';
import { symbolsOfPortfolios } from '../../db/queries/batch-portfolios.ts';
import { factorDefinitions, marketPrices, oauthRecords, portfolios, positions, securities, users } from '../../db/schema/index.ts';
import { batchDeps } from '../helpers/batch.ts';
import type { DbKind, TestDb } from '../helpers/db.ts';
import { buildApp, DEMO, login, seededApp, type TestApp } from '../api/helpers.ts';

/** The kinds of record a request can name by id. */
export type Kind = 'portfolio' | 'position' | 'conversation' | 'message' | 'run' | 'import' | 'approval' | 'connection';

export interface Member {
  email: string;
  userId: string;
  token: string;
  /** Ids of every record this user owns, by kind (the first of each is the one requests use). */
  ids: Record<Kind, string[]>;
  symbols: Set<string>;
  /** Strings only this user's data contains: names, chat texts, idempotency keys, chat run ids. */
  private: string[];
}

export interface World {
  db: TestDb;
  app: TestApp;
  batch: BatchServiceDeps;
  members: Member[];
  /** Records every user shares: the run over every portfolio (each sees it projected onto their own book). */
  shared: Partial<Record<Kind, string>>;
  /**
   * Public reference symbols every user may see, never a sign of another user's book: the factor
   * ETFs (factor prices, regressions) and market indices (the stress catalogue's VIX convention).
   */
  publicSymbols: Set<string>;
}

/** A trading day inside every factor window of the demo as-of date. */
const HOLE_DATE = '2026-07-01';

interface Frame {
  event: string;
  data: Record<string, unknown>;
}

async function readSse(res: Response): Promise<Frame[]> {
  const frames: Frame[] = [];
  const parser = createParser({ onEvent: (m) => frames.push({ event: m.event ?? 'message', data: JSON.parse(m.data) as Record<string, unknown> }) });
  parser.feed(await res.text());
  return frames;
}

const post = (app: TestApp, token: string, url: string, body?: unknown) =>
  app.request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

/** One chat turn over SSE; records the conversation, both message ids and the chat run id. */
async function chatTurn(app: TestApp, m: Member, url: string, body: Record<string, unknown>): Promise<Frame[]> {
  const res = await post(app, m.token, url, body);
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  const frames = await readSse(res);
  const created = frames.find((f) => f.event === 'message_created')?.data;
  if (!created || !frames.some((f) => f.event === 'done')) throw new Error(`${url}: no complete turn (${frames.map((f) => f.event).join(',')})`);
  if (!m.ids.conversation.includes(String(created['conversation_id']))) m.ids.conversation.push(String(created['conversation_id']));
  m.ids.message.push(String(created['user_message_id']), String(created['assistant_message_id']));
  m.private.push(String(created['run_id']));
  return frames;
}

async function owned(world: Pick<World, 'db'>, email: string, userId: string, token: string): Promise<Member> {
  const db = world.db.db;
  const [user] = await db.select({ fullName: users.fullName }).from(users).where(eq(users.id, userId));
  const books = await db.select({ id: portfolios.id, name: portfolios.name }).from(portfolios).where(and(eq(portfolios.userId, userId), isNull(portfolios.deletedAt)));
  const ids = books.map((b) => b.id);
  const held = await db.select({ id: positions.id }).from(positions).where(and(inArray(positions.portfolioId, ids), isNull(positions.deletedAt)));
  return {
    email, userId, token,
    ids: { portfolio: ids, position: held.map((p) => p.id), conversation: [], message: [], run: [], import: [], approval: [], connection: [] },
    symbols: await symbolsOfPortfolios(db, ids),
    private: [userId, email, user!.fullName, ...books.map((b) => b.name)],
  };
}

export async function buildWorld(kind: DbKind): Promise<World> {
  const { db } = await seededApp(kind);
  const batch = batchDeps(db);
  // The per-user caches on, at their production defaults (the test helper turns them off).
  const app = buildApp(db, { AUTH_CACHE_TTL_MS: '5000', ANALYTICS_CACHE_TTL_MS: '5000' }, { batch });
  const members: Member[] = [];
  for (const u of Object.values(DEMO)) members.push(await owned({ db }, u.email, u.userId, await login(app, u.email)));

  const etfs = await db.db.select({ etf: factorDefinitions.etfProxy }).from(factorDefinitions);
  const indices = await db.db.select({ symbol: securities.symbol }).from(securities).where(eq(securities.securityType, 'index'));
  const publicSymbols = new Set([...etfs.flatMap((r) => (r.etf ? [r.etf] : [])), ...indices.map((r) => r.symbol)]);
  // A hole in the price history of a symbol only the last user holds, so the run-wide factor
  // phase of the shared run warns about it (a warning every other user's view must drop).
  const [last, ...rest] = [...members].reverse();
  const hole = [...last!.symbols].sort().find((s) => !publicSymbols.has(s) && !rest.some((m) => m.symbols.has(s)) && !/\d{6}[CP]\d{8}$/.test(s))!;
  await db.db.delete(marketPrices).where(and(eq(marketPrices.symbol, hole), eq(marketPrices.date, HOLE_DATE)));

  for (const m of members) {
    const res = await post(app, m.token, '/api/v1/admin/batch/trigger/daily?skip_reports=1');
    if (res.status !== 202) throw new Error(`trigger for ${m.email} answered ${res.status}: ${await res.text()}`);
    m.ids.run.push(((await res.json()) as { run_id: string }).run_id);
  }
  await batch.runner.idle();
  // A run over every portfolio: each user sees it, projected onto their own book (not a marker).
  const systemRun = await startSystemRun(batch, { trigger: 'cli', skipReports: true });
  await batch.runner.idle();

  for (const [i, m] of members.entries()) {
    const tag = (n: number) => `zq${i}${n}tag`;
    m.private.push(tag(1), tag(2), tag(3), tag(4), `key-${tag(1)}`, `${tag(4)}.csv`);
    // a previewed (not committed) holdings file whose note and file name only this user wrote
    const file = `symbol,quantity,entry_price,entry_date,notes\nZQ${i}X,5,10,2026-07-01,note ${tag(4)}\n`;
    const preview = await app.request(`/api/v1/portfolios/${m.ids.portfolio[0]}/imports`, { method: 'POST', headers: { authorization: `Bearer ${m.token}`, 'content-type': 'text/csv', 'x-filename': `${tag(4)}.csv` }, body: file });
    if (preview.status !== 201) throw new Error(`import preview for ${m.email} answered ${preview.status}: ${await preview.text()}`);
    m.ids.import.push(((await preview.json()) as { import_id: string }).import_id);
    m.private.push(`ZQ${i}X`);
    const conv = await post(app, m.token, '/api/v1/chat/conversations', { portfolio_id: m.ids.portfolio[0] });
    m.ids.conversation.push(((await conv.json()) as { id: string }).id);
    await chatTurn(app, m, '/api/v1/chat/send', { conversation_id: m.ids.conversation[0], text: `Which positions do I hold? ${tag(1)}`, client_request_id: `key-${tag(1)}` });
    await chatTurn(app, m, '/api/v1/chat/send', { conversation_id: m.ids.conversation[0], text: `Is the batch done? ${tag(2)}` });
    await chatTurn(app, m, '/api/v1/agent/chat', { message: `What is my beta? ${tag(3)}`, portfolio_id: m.ids.portfolio[0] });
    // a trade the offline responder proposes: a pending approval only this user may decide
    const proposal = await chatTurn(app, m, '/api/v1/chat/send', { conversation_id: m.ids.conversation[0], text: 'add 10 AAPL at 190' });
    const approval = proposal.find((f) => f.event === 'approval_required')?.data;
    if (!approval) throw new Error(`no approval_required for ${m.email} (${proposal.map((f) => f.event).join(',')})`);
    m.ids.approval.push(String((approval['data'] as { approval_id: string }).approval_id));
    // an OAuth connection (a grant this user gave an application), stored as the authorization server stores it
    const grantId = `grant-${crypto.randomUUID()}`;
    await db.db.insert(oauthRecords).values({
      model: 'Grant', id: grantId, accountId: m.userId, clientName: `client-${tag(1)}`, expiresAt: new Date(Date.now() + 86_400_000),
      payload: { jti: grantId, kind: 'Grant', accountId: m.userId, clientId: `https://client-${tag(1)}.example/meta.json`, resources: { 'http://localhost/mcp': 'portfolio:read' } },
    });
    m.ids.connection.push(grantId);
    m.private.push(`client-${tag(1)}`);
  }
  return { db, app, batch, members, shared: { run: systemRun.run_id }, publicSymbols };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\=-]/g, '\\$&');

/**
 * Another user's data found in `text`: their ids (except those `sent` in the request, which an
 * error may echo), names and chat texts, and symbols held only by them (as whole words; factor
 * ETFs, indices and symbols the caller sent are public).
 */
export function leaks(world: World, me: Member, text: string, sent: readonly string[] = []): string[] {
  const found: string[] = [];
  for (const other of world.members.filter((o) => o !== me)) {
    const strings = [...other.private, ...Object.values(other.ids).flat()].filter((s) => !sent.includes(s));
    found.push(...strings.filter((s) => text.includes(s)).map((s) => `${other.email}: ${s}`));
    const onlyTheirs = [...other.symbols].filter((s) => !me.symbols.has(s) && !world.publicSymbols.has(s) && !sent.includes(s));
    found.push(...onlyTheirs.filter((s) => new RegExp(`(^|[^A-Za-z0-9_])${escape(s)}([^A-Za-z0-9_]|$)`).test(text)).map((s) => `${other.email}: symbol ${s}`));
  }
  return [...new Set(found)];
}
