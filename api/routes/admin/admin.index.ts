import { createRouter } from '../../router.ts';
import { createUserHandler } from './admin.handlers.ts';
import { createUserRoute } from './admin.routes.ts';

export const adminRouter = createRouter().openapi(createUserRoute, createUserHandler);
