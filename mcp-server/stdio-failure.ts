/**
 * What `npm run mcp` serves when it cannot start (a bad setting, the database held by another
 * process, an unreachable server): a minimal MCP server over stdio, so the client shows the cause
 * and the fix instead of "Connection closed". Its `instructions` carry them, its one tool
 * (`sigmasight_status`, described by them) reports them, and every tool call answers an isError
 * result naming them. The reason goes to stderr as well; the process ends with status 1 when the
 * client closes stdin.
 */
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { Server } from '@modelcontextprotocol/server';
import { VERSION } from '../core/version.ts';

export interface StartupFailure {
  /** What went wrong, naming the setting or process involved. */
  cause: string;
  /** What the user does about it. */
  fix: string;
}

/** Thrown by the start-up steps of `npm run mcp`; stdio.ts serves it with `serveStartupFailure`. */
export class StartupFailureError extends Error {
  override readonly name = 'StartupFailureError';
  constructor(readonly failure: StartupFailure) {
    super(failure.cause);
  }
}

export const failureText = (f: StartupFailure): string => `SigmaSight could not start: ${f.cause}. Fix: ${f.fix}.`;

/** Serves `failure` on stdio until the client goes away, then exits with status 1. */
export async function serveStartupFailure(failure: StartupFailure, io: { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream } = {}): Promise<void> {
  const text = failureText(failure);
  process.stderr.write(`${text}\n`);
  const server = new Server({ name: 'sigmasight', title: 'SigmaSight (not started)', version: VERSION }, { capabilities: { tools: {} }, instructions: text });
  server.setRequestHandler('tools/list', () => ({
    tools: [{ name: 'sigmasight_status', title: 'Why SigmaSight is not available', description: `${text} Call this tool to show the reason to the user.`, inputSchema: { type: 'object', properties: {}, additionalProperties: false }, annotations: { readOnlyHint: true, openWorldHint: false } }],
  }));
  server.setRequestHandler('tools/call', () => ({ isError: true, content: [{ type: 'text', text }] }));
  const transport = new StdioServerTransport(io.stdin as never, io.stdout as never);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    (io.stdin ?? process.stdin).on('close', () => resolve());
    (io.stdin ?? process.stdin).on('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close().catch(() => {});
  process.exitCode = 1;
}
