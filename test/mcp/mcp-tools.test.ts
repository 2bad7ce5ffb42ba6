/** The tool catalogue in process (the agent's path) and over Streamable HTTP at /mcp on the API server. */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe } from 'vitest';
import type { InProcessMcp } from '../../mcp-server/in-process.ts';
import { buildApp, login } from '../api/helpers.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { defineCatalogueTests } from './catalogue-suite.ts';
import { batchedMcp, DEMO } from './mcp-harness.ts';

describeEachDb('MCP tool catalogue on the demo book', (kind) => {
  let db: TestDb;
  let mcp: InProcessMcp;
  let http: Client;
  beforeAll(async () => {
    ({ db, mcp } = await batchedMcp(kind, DEMO.individual.email));
    const app = buildApp(db);
    const token = await login(app, DEMO.individual.email);
    http = new Client({ name: 'catalogue-http', version: '1' });
    await http.connect(new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
      fetch: async (url, init) => app.request(String(url), init as RequestInit),
    }));
  }, 300_000);
  afterAll(async () => {
    await http.close();
    await mcp.close();
    await db.destroy();
  });

  describe('in process', () => defineCatalogueTests(() => mcp.client));
  describe('Streamable HTTP', () => defineCatalogueTests(() => http));
});
