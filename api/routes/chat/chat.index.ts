import { createRouter } from '../../router.ts';
import * as H from './chat.handlers.ts';
import * as R from './chat.routes.ts';
import * as AH from './approvals.handlers.ts';
import * as AR from './approvals.routes.ts';

/** The reference chat family; every route needs a session (bearer or auth_token cookie). */
export const chatRouter = createRouter();
chatRouter
  .openapi(R.createConversationRoute, H.createConversationHandler)
  .openapi(R.listConversationsRoute, H.listConversationsHandler)
  .openapi(R.getConversationRoute, H.getConversationHandler)
  .openapi(R.setModeRoute, H.setModeHandler)
  .openapi(R.deleteConversationRoute, H.deleteConversationHandler)
  .openapi(R.listMessagesRoute, H.listMessagesHandler)
  .openapi(R.sendRoute, H.sendHandler)
  .openapi(AR.getApprovalRoute, AH.getApprovalHandler)
  .openapi(AR.decideApprovalRoute, AH.decideApprovalHandler);
