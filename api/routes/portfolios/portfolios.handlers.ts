import type { Context } from 'hono';
import type { RouteHandler } from '@hono/zod-openapi';
import { AppError } from '../../../core/errors.ts';
import { commitImport, getImport, previewImport } from '../../../core/services/book-imports.ts';
import { createPortfolio, deletePortfolio, getBookPortfolio, listAudit, listBookPortfolios, updatePortfolio } from '../../../core/services/book-portfolios.ts';
import { addPosition, bookDepsOf, closePosition, deletePosition, listBookPositions, updatePosition, type BookDeps, type Writer } from '../../../core/services/book-positions.ts';
import { serviceDeps, type AppBindings } from '../../context.ts';
import type * as R from './portfolios.routes.ts';

type C = Context<AppBindings>;
const bookDeps = (c: C): BookDeps => bookDepsOf(serviceDeps(c), c.get('batch').recompute);
const writer = (c: C): Writer => ({ principal: c.get('principal'), door: 'rest' });

export const createPortfolioHandler: RouteHandler<typeof R.createPortfolioRoute, AppBindings> = async (c) =>
  c.json(await createPortfolio(bookDeps(c), writer(c), c.req.valid('json')), 201);

export const listPortfoliosHandler: RouteHandler<typeof R.listPortfoliosRoute, AppBindings> = async (c) =>
  c.json({ portfolios: await listBookPortfolios(serviceDeps(c), c.get('principal')) }, 200);

export const getPortfolioHandler: RouteHandler<typeof R.getPortfolioRoute, AppBindings> = async (c) =>
  c.json(await getBookPortfolio(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id), 200);

export const updatePortfolioHandler: RouteHandler<typeof R.updatePortfolioRoute, AppBindings> = async (c) =>
  c.json(await updatePortfolio(bookDeps(c), writer(c), c.req.valid('param').portfolio_id, c.req.valid('json')), 200);

export const deletePortfolioHandler: RouteHandler<typeof R.deletePortfolioRoute, AppBindings> = async (c) =>
  c.json(await deletePortfolio(bookDeps(c), writer(c), c.req.valid('param').portfolio_id, c.req.valid('query').confirm), 200);

export const listPositionsHandler: RouteHandler<typeof R.listPositionsRoute, AppBindings> = async (c) =>
  c.json({ positions: await listBookPositions(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id, c.req.valid('query').include_closed) }, 200);

export const addPositionHandler: RouteHandler<typeof R.addPositionRoute, AppBindings> = async (c) =>
  c.json(await addPosition(bookDeps(c), writer(c), c.req.valid('param').portfolio_id, c.req.valid('json')), 201);

export const updatePositionHandler: RouteHandler<typeof R.updatePositionRoute, AppBindings> = async (c) => {
  const p = c.req.valid('param');
  return c.json(await updatePosition(bookDeps(c), writer(c), p.portfolio_id, p.position_id, c.req.valid('json')), 200);
};

export const deletePositionHandler: RouteHandler<typeof R.deletePositionRoute, AppBindings> = async (c) => {
  const p = c.req.valid('param');
  return c.json(await deletePosition(bookDeps(c), writer(c), p.portfolio_id, p.position_id), 200);
};

export const closePositionHandler: RouteHandler<typeof R.closePositionRoute, AppBindings> = async (c) => {
  const p = c.req.valid('param');
  return c.json(await closePosition(bookDeps(c), writer(c), p.portfolio_id, p.position_id, c.req.valid('json')), 200);
};

/** The file of an import request: a text/csv (or text/plain) body, or the `file` field of a multipart form. */
async function importFile(c: C): Promise<{ text: string; filename: string | null }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv' || type === 'text/plain' || type === 'application/csv') return { text: await c.req.text(), filename: c.req.header('x-filename') ?? null };
  if (type === 'multipart/form-data') {
    const form = await c.req.parseBody();
    const file = form['file'];
    if (file instanceof File) return { text: await file.text(), filename: file.name || null };
    if (typeof file === 'string') return { text: file, filename: null };
    throw new AppError('VALIDATION', 'the form has no file field: send the holdings file as the field "file"', { details: { errors: [{ path: 'file', message: 'required' }] } });
  }
  throw new AppError('VALIDATION', 'send the holdings file as a text/csv body or as the "file" field of a multipart/form-data form', { details: { errors: [{ path: '(body)', message: `content type ${type || '(none)'} is not text/csv or multipart/form-data` }] } });
}

export const previewImportHandler: RouteHandler<typeof R.previewImportRoute, AppBindings> = async (c) => {
  const file = await importFile(c);
  return c.json(await previewImport(bookDeps(c), writer(c), c.req.valid('param').portfolio_id, file), 201);
};

export const getImportHandler: RouteHandler<typeof R.getImportRoute, AppBindings> = async (c) => {
  const p = c.req.valid('param');
  return c.json(await getImport(bookDeps(c), c.get('principal'), p.portfolio_id, p.import_id), 200);
};

export const commitImportHandler: RouteHandler<typeof R.commitImportRoute, AppBindings> = async (c) => {
  const p = c.req.valid('param');
  const body = (c.req.valid('json') as { mode?: 'merge' | 'replace' } | undefined) ?? {};
  return c.json(await commitImport(bookDeps(c), writer(c), p.portfolio_id, p.import_id, body.mode ?? 'merge'), 200);
};

export const auditHandler: RouteHandler<typeof R.auditRoute, AppBindings> = async (c) =>
  c.json(await listAudit(serviceDeps(c), c.get('principal'), c.req.valid('param').portfolio_id, c.req.valid('query')), 200);
