import { createRoute } from '@hono/zod-openapi';
import { LoginInputSchema, LoginOutputSchema, UserProfileSchema } from '../../../core/contracts/auth.ts';
import { MessageSchema } from '../../../core/contracts/common.ts';
import { ok, problems, SECURED } from '../responses.ts';

const tags = ['Auth'];

export const loginRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  tags,
  summary: 'Log in with email and password',
  description: 'Opens a session. The token is returned in the body and set as the HttpOnly `auth_token` cookie. Rate-limited per client IP and per email.',
  request: { body: { content: { 'application/json': { schema: LoginInputSchema } }, required: true } },
  responses: { ...ok(LoginOutputSchema, 'Session opened'), ...problems(401, 422, 429) },
});

export const meRoute = createRoute({
  method: 'get',
  path: '/api/v1/auth/me',
  tags,
  summary: 'The current user',
  security: SECURED,
  responses: { ...ok(UserProfileSchema, 'The authenticated user'), ...problems(401, 429) },
});

export const refreshRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/refresh',
  tags,
  summary: 'Rotate the session token',
  description: 'Issues a new token (and cookie) and revokes the presented one.',
  security: SECURED,
  responses: { ...ok(LoginOutputSchema, 'New session'), ...problems(401, 429) },
});

export const logoutRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/logout',
  tags,
  summary: 'Log out (revokes the session)',
  description: 'Deletes the session server-side and clears the cookie. Idempotent: succeeds without a valid token too.',
  responses: { ...ok(MessageSchema, 'Logged out') },
});
