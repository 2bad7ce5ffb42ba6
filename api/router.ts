/** `createRouter()`: an OpenAPIHono whose validation failures answer 422 problem+json with one issue per field. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../core/errors.ts';
import type { AppBindings } from './context.ts';
import { problemResponse } from './problem.ts';

export function createRouter(): OpenAPIHono<AppBindings> {
  return new OpenAPIHono<AppBindings>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const errors = result.error.issues.slice(0, 50).map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
        return problemResponse(c as never, new AppError('VALIDATION', 'the request is not valid', { details: { errors } }));
      }
    },
  });
}
