import { createRoute } from '@hono/zod-openapi';
import { HealthSchema } from '../../../core/contracts/health.ts';

export const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['System'],
  summary: 'Service and database health',
  responses: {
    200: { content: { 'application/json': { schema: HealthSchema } }, description: 'The service is up and the database answers' },
    503: { content: { 'application/json': { schema: HealthSchema } }, description: 'The database does not answer' },
  },
});
