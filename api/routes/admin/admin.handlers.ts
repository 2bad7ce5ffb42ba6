import type { RouteHandler } from '@hono/zod-openapi';
import { createUserAsAdmin } from '../../../core/services/users.ts';
import { serviceDeps, type AppBindings } from '../../context.ts';
import type { createUserRoute } from './admin.routes.ts';

export const createUserHandler: RouteHandler<typeof createUserRoute, AppBindings> = async (c) =>
  c.json(await createUserAsAdmin(serviceDeps(c), c.get('principal'), c.req.valid('json')), 201);
