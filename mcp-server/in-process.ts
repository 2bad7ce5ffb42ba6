/**
 * The in-process transport: a linked pair of in-memory transports between an SDK client and a
 * fresh server for one principal. The chat agent lists and calls tools through this client, so a
 * tool behaves exactly as it does for Claude Desktop or any other MCP client.
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { VERSION } from '../core/version.ts';
import type { McpContext } from './context.ts';
import { createMcpServer } from './server.ts';

export interface InProcessMcp {
  client: Client;
  close(): Promise<void>;
}

export async function connectInProcess(ctx: McpContext, clientName = 'sigmasight-agent'): Promise<InProcessMcp> {
  const server = createMcpServer(ctx);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: clientName, version: VERSION });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
