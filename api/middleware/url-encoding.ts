/**
 * A URL whose percent-encoding is not UTF-8 (a lone surrogate as %ED%A0%80, a stray %C3 or
 * %zz) answers 422 problem+json. Hono would otherwise hand the undecoded text to the route, so a
 * parameter could reach a query or an answer as something the client never meant.
 */
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../core/errors.ts';

const decodes = (part: string): boolean => {
  try {
    decodeURIComponent(part.replaceAll('+', ' '));
    return true;
  } catch {
    return false;
  }
};

export const requireUtf8Url = createMiddleware(async (c, next) => {
  const url = c.req.url;
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const rest = start < 0 ? '' : url.slice(start);
  if (rest.includes('%')) {
    const hash = rest.indexOf('#');
    const [path = '', query = ''] = (hash < 0 ? rest : rest.slice(0, hash)).split(/\?(.*)/s);
    const bad = [...path.split('/'), ...query.split('&').flatMap((kv) => kv.split('='))].find((part) => part.includes('%') && !decodes(part));
    if (bad !== undefined) throw new AppError('VALIDATION', 'the URL carries percent-encoding that is not valid UTF-8', { details: { errors: [{ path: '(url)', message: `cannot decode "${bad.slice(0, 60)}" as UTF-8` }] } });
  }
  await next();
});
