/** Auth contracts: login, the current user, admin user creation. */
import { z } from '@hono/zod-openapi';
import { text } from './common.ts';

export const LoginInputSchema = z
  .object({
    email: z.email().max(320).describe('account email').openapi({ example: 'demo_individual@sigmasight.com' }),
    password: text().min(1).max(1024).describe('account password').openapi({ example: 'demo12345' }),
  })
  .openapi('LoginInput');
export type LoginInput = z.infer<typeof LoginInputSchema>;

export const UserProfileSchema = z
  .object({
    id: text().describe('user id'),
    email: text().describe('account email'),
    full_name: text().describe('display name'),
    role: z.enum(['user', 'admin']).describe('admin may run batches for every portfolio and create users'),
    is_active: z.boolean().describe('inactive users cannot log in'),
    created_at: text().describe('UTC ISO-8601 creation time'),
    portfolio_id: text().nullable().describe("the user's first portfolio, or null"),
  })
  .openapi('UserProfile');
export type UserProfile = z.infer<typeof UserProfileSchema>;

export const LoginOutputSchema = z
  .object({
    access_token: text().describe('session token: send as `Authorization: Bearer <token>` (also set as the auth_token cookie)'),
    token_type: z.literal('bearer').describe('always "bearer"'),
    expires_in: z.number().int().describe('seconds until the session expires unless used (sessions extend on use)'),
    expires_at: text().describe('UTC ISO-8601 expiry of the session'),
    portfolio_id: text().nullable().describe("the user's first portfolio, or null"),
    user: UserProfileSchema,
  })
  .openapi('LoginOutput');
export type LoginOutput = z.infer<typeof LoginOutputSchema>;

export const CreateUserInputSchema = z
  .object({
    email: z.email().max(320).describe('account email (stored lower-case)'),
    password: text().min(8).max(1024).describe('at least 8 characters'),
    full_name: text().trim().min(1).max(200).describe('display name'),
    role: z.enum(['user', 'admin']).default('user').describe('role of the new user'),
    create_portfolio: z.boolean().default(true).describe("also create an empty portfolio named \"<full_name>'s Portfolio\""),
  })
  .strict()
  .openapi('CreateUserInput');
export type CreateUserInput = z.infer<typeof CreateUserInputSchema>;
