import { createRouter } from '../../router.ts';
import * as H from './agent.handlers.ts';
import * as R from './agent.routes.ts';

/** The seed-guide agent family; everything but /agent/health needs a session (bearer or auth_token cookie). */
export const agentRouter = createRouter();
agentRouter
  .openapi(R.agentHealthRoute, H.agentHealthHandler)
  .openapi(R.agentToolsRoute, H.agentToolsHandler)
  .openapi(R.agentChatRoute, H.agentChatHandler)
  .openapi(R.agentChatStreamRoute, H.agentChatStreamHandler)
  .openapi(R.agentSessionsRoute, H.agentSessionsHandler);
