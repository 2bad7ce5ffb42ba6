/** OpenAPI response declarations shared by every route: problem+json errors and the auth scheme. */
import { ProblemSchema } from '../../core/contracts/health.ts';

const DESCRIPTIONS = {
  401: 'Missing, invalid or expired session token (WWW-Authenticate: Bearer)',
  403: 'Authenticated but not allowed (admin role required)',
  404: 'No such resource owned by the caller',
  409: 'Conflict with existing data',
  422: 'Invalid input; `errors` lists each field',
  429: 'Rate limited; see Retry-After',
} as const;

type Status = keyof typeof DESCRIPTIONS;

/** `{ 401: {...}, 404: {...} }` with the Problem schema for each status. */
export function problems<S extends Status>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { content: { 'application/problem+json': { schema: ProblemSchema } }, description: DESCRIPTIONS[s] }]),
  ) as unknown as { [K in S]: { content: { 'application/problem+json': { schema: typeof ProblemSchema } }; description: string } };
}

/** Bearer header or the auth_token cookie. */
export const SECURED: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** JSON 200 response with a schema. */
export const ok = <T>(schema: T, description: string) => ({ 200: { content: { 'application/json': { schema } }, description } });
