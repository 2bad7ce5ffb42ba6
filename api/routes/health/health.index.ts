import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppBindings } from '../../context.ts';
import { health } from './health.handlers.ts';
import { healthRoute } from './health.routes.ts';

export const healthRouter = new OpenAPIHono<AppBindings>().openapi(healthRoute, health);
