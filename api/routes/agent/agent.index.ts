import { requireAuth } from '../../middleware/auth.ts';
import { createRouter } from '../../router.ts';
import * as H from './agent.handlers.ts';
import * as R from './agent.routes.ts';

/** The seed-guide agent family; everything but /agent/health needs a session (bearer or auth_token cookie). */
export const agentRouter = createRouter();
for (const path of ['/api/v1/agent/tools', '/api/v1/agent/chat', '/api/v1/agent/chat/*', '/api/v1/agent/sessions']) agentRouter.use(path, requireAuth);
agentRouter
  .openapi(R.agentHealthRoute, H.agentHealthHandler)
  .openapi(R.agentToolsRoute, H.agentToolsHandler)
  .openapi(R.agentChatRoute, H.agentChatHandler)
  .openapi(R.agentChatStreamRoute, H.agentChatStreamHandler)
  .openapi(R.agentSessionsRoute, H.agentSessionsHandler);
