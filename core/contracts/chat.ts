/**
 * Chat contracts: the request bodies and responses of both route families (reference
 * `/api/v1/chat/*` and seed-guide `/api/v1/agent/*`). Conversation and message responses are the
 * snake_case views of the `conversations`, `messages` and `tool_calls` tables.
 */
import { z } from '@hono/zod-openapi';
import { text } from './common.ts';

export const MODES = ['green', 'blue', 'indigo', 'violet'] as const;
export type Mode = (typeof MODES)[number];
export const DEFAULT_MODE: Mode = 'green';

export const ModeSchema = z.enum(MODES).describe('conversation mode (persona): green teaching, blue quantitative, indigo strategic, violet conservative');
const Id = text().min(1).max(64);
const ClientRequestId = text().trim().min(1).max(128).describe('idempotency key: a retried send with the same key returns the same turn instead of running it again');
const MessageText = text().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters');

export const ConversationSchema = z
  .object({
    id: text().describe('conversation id'),
    mode: ModeSchema,
    portfolio_id: text().nullable().describe('the portfolio every tool call of this conversation acts on'),
    title: text().nullable().describe('the first user message, trimmed'),
    provider: z.literal('openai').describe('model API family (kept for reference clients)'),
    provider_thread_id: z.null().describe('always null (kept for reference clients)'),
    created_at: text().describe('creation time (ISO 8601)'),
    updated_at: text().describe('time of the last turn or mode change (ISO 8601)'),
  })
  .openapi('Conversation');
export type Conversation = z.infer<typeof ConversationSchema>;

export const CreateConversationBodySchema = z
  .object({
    mode: ModeSchema.optional().describe('initial mode, default green'),
    portfolio_id: Id.optional().describe("one of the caller's portfolio ids; default the caller's first portfolio"),
  })
  .openapi('CreateConversation');

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(10).describe('page size, at most 100'),
  offset: z.coerce.number().int().min(0).default(0).describe('rows to skip'),
});

export const MessagesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('page size, at most 200'),
  offset: z.coerce.number().int().min(0).default(0).describe('rows to skip'),
});

export const ModeBodySchema = z.object({ mode: ModeSchema }).openapi('ModeChange');

export const ModeChangedSchema = z
  .object({
    id: text().describe('conversation id'),
    previous_mode: ModeSchema,
    new_mode: ModeSchema,
    changed_at: text().describe('time of the change (ISO 8601)'),
  })
  .openapi('ModeChanged');

export const ToolCallRecordSchema = z
  .object({
    tool_call_id: text().describe("the provider's call id"),
    name: text().describe('tool name'),
    arguments: z.record(text(), z.unknown()).describe('arguments the tool ran with (portfolio_id bound by the server)'),
    ok: z.boolean().nullable().describe('false when the tool answered with an error'),
    row_count: z.number().int().nullable().describe('rows in the result'),
    truncated: z.boolean().nullable().describe('true when the result was shortened to fit'),
    result_bytes: z.number().int().nullable().describe('size of the full structured result, bytes'),
    duration_ms: z.number().int().nullable().describe('time the call took, ms'),
    error: text().nullable().describe('the tool error text, when ok is false'),
    round: z.number().int().describe('tool round of the turn, from 1'),
  })
  .openapi('ToolCallRecord');

export const MessageSchema = z
  .object({
    id: text().describe('message id'),
    message_id: text().describe('same as id (reference clients read message_id)'),
    role: z.enum(['user', 'assistant', 'system']).describe('author'),
    content: text().describe('text; for an interrupted assistant turn, what was said before it stopped'),
    status: z.enum(['complete', 'partial', 'aborted', 'error']).describe('partial while streaming, aborted after a client disconnect, error after a failure'),
    model: text().nullable().describe('model that wrote an assistant message'),
    usage: z.record(text(), z.number()).nullable().describe('token usage of an assistant turn'),
    error: z.object({ code: text(), message: text() }).nullable().describe('why an assistant turn failed'),
    tool_calls: z.array(ToolCallRecordSchema).describe('tools the assistant called in this turn'),
    created_at: text().describe('creation time (ISO 8601)'),
  })
  .openapi('ChatMessage');
export type ChatMessage = z.infer<typeof MessageSchema>;

export const MessagesPageSchema = z
  .object({
    messages: z.array(MessageSchema).describe('messages, oldest first'),
    total_count: z.number().int().describe('messages in the conversation'),
    has_more: z.boolean().describe('true when a later page exists'),
  })
  .openapi('ChatMessages');

export const SendBodySchema = z
  .object({
    conversation_id: Id.describe('conversation to continue'),
    text: MessageText.describe('the user message (1–4000 characters); "/mode <name>" switches the persona'),
    client_request_id: ClientRequestId.optional(),
  })
  .openapi('ChatSend');

export const AgentChatBodySchema = z
  .object({
    message: MessageText.describe('the user message (1–4000 characters)'),
    portfolio_id: Id.describe("one of the caller's portfolio ids"),
    conversation_id: Id.optional().describe('conversation to continue; a new one is created when absent'),
    client_request_id: ClientRequestId.optional(),
  })
  .openapi('AgentChat');

/** The EventSource form of AgentChat: the portfolio is checked before the message, so a foreign id is 404 even with a bad message. */
export const AgentChatQuerySchema = AgentChatBodySchema.extend({
  message: MessageText.optional().describe('the user message (1–4000 characters); required'),
}).openapi('AgentChatQuery');

export const AgentHealthSchema = z
  .object({
    status: z.literal('ok'),
    provider: z.enum(['openai', 'offline']).describe('offline: the built-in responder answers without a language model'),
    model: text().describe('model name sent to the provider'),
    tools: z.number().int().describe('tools offered to the model'),
  })
  .openapi('AgentHealth');

export const AgentToolSchema = z
  .object({
    name: text(),
    description: text(),
    parameters: z.record(text(), z.unknown()).describe('JSON Schema of the arguments the model supplies'),
    read_only: z.boolean().describe('false for tools that start work or change data'),
    requires_approval: z.boolean().describe('true for tools that change your book: the agent proposes the call and runs it only after you approve it (POST /api/v1/chat/approvals/{approval_id})'),
  })
  .openapi('AgentTool');
