import { createRoute } from '@hono/zod-openapi';
import { CreateUserInputSchema, UserProfileSchema } from '../../../core/contracts/auth.ts';
import { problems, SECURED } from '../responses.ts';

export const createUserRoute = createRoute({
  method: 'post',
  path: '/api/v1/admin/users',
  tags: ['Admin'],
  summary: 'Create a user (admin only; public registration is closed)',
  security: SECURED,
  request: { body: { content: { 'application/json': { schema: CreateUserInputSchema } }, required: true } },
  responses: {
    201: { content: { 'application/json': { schema: UserProfileSchema } }, description: 'User created' },
    ...problems(401, 403, 409, 422, 429),
  },
});
