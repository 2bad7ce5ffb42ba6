/** What the offline responder knows of one tool call it made: its summary line, structured data or error. */
export interface ToolReply {
  name: string;
  ok: boolean;
  summary: string;
  data: Record<string, unknown> | null;
  error: string | null;
}
