/** The user's own book over REST: portfolios, positions, imports and the audit trail. */
import { createRoute, z } from '@hono/zod-openapi';
import {
  AuditListSchema, AuditQuerySchema, ConfirmQuerySchema, ImportCommitResultSchema, ImportCommitSchema, ImportIdParams, ImportPreviewSchema,
  PortfolioCreateSchema, PortfolioSchema, PortfolioUpdateSchema, PositionCloseSchema, PositionCreateSchema, PositionIdParams,
  PositionListQuerySchema, PositionSchema, PositionUpdateSchema, PositionWriteResultSchema,
} from '../../../core/contracts/book.ts';
import { PortfolioIdParams } from '../../../core/contracts/common.ts';
import { ok, problems, SECURED } from '../responses.ts';

const base = { tags: ['Portfolios'], security: SECURED };
const P = '/api/v1/portfolios';
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const created = <T>(schema: T, description: string) => ({ 201: { content: { 'application/json': { schema } }, description } });
const tooLarge = { 413: { content: { 'application/problem+json': { schema: z.object({}).passthrough() } }, description: 'File over 8 MiB or more than 10,000 rows' } };

export const createPortfolioRoute = createRoute({
  ...base, method: 'post', path: P, summary: 'Create a portfolio (name, description, opening equity, benchmark)',
  request: { body: json(PortfolioCreateSchema) },
  responses: { ...created(PortfolioSchema, 'The new portfolio'), ...problems(401, 422, 429) },
});

export const listPortfoliosRoute = createRoute({
  ...base, method: 'get', path: P, summary: 'Your portfolios with open and closed position counts',
  responses: { ...ok(z.object({ portfolios: z.array(PortfolioSchema) }).openapi('PortfolioBook'), 'Your portfolios, oldest first'), ...problems(401, 429) },
});

export const getPortfolioRoute = createRoute({
  ...base, method: 'get', path: `${P}/{portfolio_id}`, summary: 'One of your portfolios',
  request: { params: PortfolioIdParams },
  responses: { ...ok(PortfolioSchema, 'The portfolio'), ...problems(401, 404, 429) },
});

export const updatePortfolioRoute = createRoute({
  ...base, method: 'patch', path: `${P}/{portfolio_id}`, summary: 'Rename or edit a portfolio',
  request: { params: PortfolioIdParams, body: json(PortfolioUpdateSchema) },
  responses: { ...ok(PortfolioSchema, 'The portfolio after the change'), ...problems(401, 404, 422, 429) },
});

export const deletePortfolioRoute = createRoute({
  ...base, method: 'delete', path: `${P}/{portfolio_id}`, summary: 'Delete a portfolio (confirm=true)',
  request: { params: PortfolioIdParams, query: ConfirmQuerySchema },
  responses: { ...ok(z.object({ id: z.string(), deleted: z.literal(true) }).openapi('PortfolioDeleted'), 'Deleted'), ...problems(401, 404, 422, 429) },
});

export const listPositionsRoute = createRoute({
  ...base, method: 'get', path: `${P}/{portfolio_id}/positions`, summary: 'Positions of the book (closed ones with include_closed=true)',
  request: { params: PortfolioIdParams, query: PositionListQuerySchema },
  responses: { ...ok(z.object({ positions: z.array(PositionSchema) }).openapi('PositionList'), 'Positions, symbol then entry date'), ...problems(401, 404, 422, 429) },
});

export const addPositionRoute = createRoute({
  ...base, method: 'post', path: `${P}/{portfolio_id}/positions`, summary: 'Add a position (stock, ETF, fund, or option by OCC symbol or by parts)',
  request: { params: PortfolioIdParams, body: json(PositionCreateSchema) },
  responses: { ...created(PositionWriteResultSchema, 'The new position; a recompute is queued'), ...problems(401, 404, 409, 422, 429) },
});

export const updatePositionRoute = createRoute({
  ...base, method: 'patch', path: `${P}/{portfolio_id}/positions/{position_id}`, summary: 'Edit a position',
  request: { params: PositionIdParams, body: json(PositionUpdateSchema) },
  responses: { ...ok(PositionWriteResultSchema, 'The position after the change'), ...problems(401, 404, 422, 429) },
});

export const deletePositionRoute = createRoute({
  ...base, method: 'delete', path: `${P}/{portfolio_id}/positions/{position_id}`, summary: 'Delete a position entered by mistake (to end a holding, close it)',
  request: { params: PositionIdParams },
  responses: { ...ok(PositionWriteResultSchema, 'The deleted position as it was'), ...problems(401, 404, 429) },
});

export const closePositionRoute = createRoute({
  ...base, method: 'post', path: `${P}/{portfolio_id}/positions/{position_id}/close`, summary: 'Close a position at an exit price and date (realised P&L)',
  request: { params: PositionIdParams, body: json(PositionCloseSchema) },
  responses: { ...ok(PositionWriteResultSchema, 'The closed position'), ...problems(401, 404, 409, 422, 429) },
});

export const previewImportRoute = createRoute({
  ...base, method: 'post', path: `${P}/{portfolio_id}/imports`,
  summary: 'Preview a holdings file (SigmaSight CSV, IBKR Flex, Schwab, Fidelity): nothing is written until commit',
  request: {
    params: PortfolioIdParams,
    body: {
      required: true,
      content: {
        'text/csv': { schema: z.string().openapi({ format: 'binary' }) },
        'text/plain': { schema: z.string().openapi({ format: 'binary' }) },
        'application/csv': { schema: z.string().openapi({ format: 'binary' }) },
        'multipart/form-data': { schema: z.object({ file: z.any().optional().openapi({ type: 'string', format: 'binary', description: 'the holdings file' }) }) },
      },
    },
  },
  responses: { ...created(ImportPreviewSchema, 'The preview with import_id'), ...problems(401, 404, 422, 429), ...tooLarge },
});

export const getImportRoute = createRoute({
  ...base, method: 'get', path: `${P}/{portfolio_id}/imports/{import_id}`, summary: 'A stored import preview',
  request: { params: ImportIdParams },
  responses: { ...ok(ImportPreviewSchema, 'The preview'), ...problems(401, 404, 429) },
});

export const commitImportRoute = createRoute({
  ...base, method: 'post', path: `${P}/{portfolio_id}/imports/{import_id}/commit`, summary: 'Commit a preview, all or nothing (merge or replace)',
  request: { params: ImportIdParams, body: { content: { 'application/json': { schema: ImportCommitSchema } }, required: false } },
  responses: { ...ok(ImportCommitResultSchema, 'What was written'), ...problems(401, 404, 409, 422, 429) },
});

export const auditRoute = createRoute({
  ...base, method: 'get', path: `${P}/{portfolio_id}/audit`, summary: 'Every change to the portfolio: who, when, which door, before and after',
  request: { params: PortfolioIdParams, query: AuditQuerySchema },
  responses: { ...ok(AuditListSchema, 'Newest first'), ...problems(401, 404, 422, 429) },
});
