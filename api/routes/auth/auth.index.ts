import { createRouter } from '../../router.ts';
import { loginHandler, logoutHandler, meHandler, refreshHandler } from './auth.handlers.ts';
import { loginRoute, logoutRoute, meRoute, refreshRoute } from './auth.routes.ts';
import { listConnectionsHandler, revokeConnectionHandler } from './connections.handlers.ts';
import { listConnectionsRoute, revokeConnectionRoute } from './connections.routes.ts';

export const authRouter = createRouter()
  .openapi(loginRoute, loginHandler)
  .openapi(meRoute, meHandler)
  .openapi(refreshRoute, refreshHandler)
  .openapi(logoutRoute, logoutHandler)
  .openapi(listConnectionsRoute, listConnectionsHandler)
  .openapi(revokeConnectionRoute, revokeConnectionHandler);
