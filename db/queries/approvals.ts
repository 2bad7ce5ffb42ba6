/**
 * Pending approvals of agent write proposals. Every read and decision takes the owner's user id,
 * so another user's approval id finds nothing. A decision is one conditional update from
 * `pending`, so of two concurrent decisions exactly one wins and the tool runs at most once.
 */
import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { agentApprovals, conversations, messages } from '../schema/index.ts';

export type ApprovalRow = typeof agentApprovals.$inferSelect;
export type ApprovalInsert = Pick<typeof agentApprovals.$inferInsert, 'userId' | 'conversationId' | 'toolCallId' | 'toolName' | 'arguments' | 'summary' | 'resume' | 'createdAt'>;

export async function insertApproval(db: Db, row: ApprovalInsert): Promise<ApprovalRow> {
  const [created] = await db.insert(agentApprovals).values({ ...row, status: 'pending' }).returning();
  return created!;
}

/** The user's approval with this id, or null (also for another user's id). */
export async function findApproval(db: Db, userId: string, id: string): Promise<ApprovalRow | null> {
  const [row] = await db.select().from(agentApprovals).where(and(eq(agentApprovals.id, id), eq(agentApprovals.userId, userId))).limit(1);
  return row ?? null;
}

/**
 * Moves a pending approval proposed after `createdAfter` to `status`; null when it was not
 * pending any more (decided, expired) or is too old. The one place a decision is taken.
 */
export async function claimDecision(db: Db, d: { id: string; userId: string; status: 'approved' | 'rejected'; at: Date; createdAfter: Date }): Promise<ApprovalRow | null> {
  const [row] = await db
    .update(agentApprovals)
    .set({ status: d.status, decidedAt: d.at })
    .where(and(eq(agentApprovals.id, d.id), eq(agentApprovals.userId, d.userId), eq(agentApprovals.status, 'pending'), gt(agentApprovals.createdAt, d.createdAfter)))
    .returning();
  return row ?? null;
}

/** Marks pending approvals expired: one by id, or every pending one of a conversation (a later message supersedes them). */
export async function expirePending(db: Db, where: { id: string } | { conversationId: string }, at: Date, reason: string, createdAtOrBefore?: Date): Promise<number> {
  const target = 'id' in where ? eq(agentApprovals.id, where.id) : eq(agentApprovals.conversationId, where.conversationId);
  const rows = await db
    .update(agentApprovals)
    .set({ status: 'expired', decidedAt: at, result: { ok: false, reason } })
    .where(and(target, eq(agentApprovals.status, 'pending'), ...(createdAtOrBefore ? [lte(agentApprovals.createdAt, createdAtOrBefore)] : [])))
    .returning({ id: agentApprovals.id });
  return rows.length;
}

/** Stores the outcome of an approved call (its status becomes failed when the tool refused). */
export async function setApprovalOutcome(db: Db, id: string, o: { status: 'approved' | 'rejected' | 'failed'; result: Record<string, unknown> }): Promise<void> {
  await db.update(agentApprovals).set(o).where(eq(agentApprovals.id, id));
}

/** An empty assistant row (status partial) that carries the resumed part of a turn; bumps the conversation. */
export async function insertAssistantMessage(db: Db, m: { conversationId: string; model: string; at: Date }): Promise<string> {
  const [row] = await db
    .insert(messages)
    .values({ conversationId: m.conversationId, role: 'assistant', content: '', status: 'partial', model: m.model, createdAt: m.at, updatedAt: m.at })
    .returning({ id: messages.id });
  await db.update(conversations).set({ updatedAt: m.at }).where(eq(conversations.id, m.conversationId));
  return row!.id;
}
