/** The market-data contracts convert to JSON Schema (MCP) and describe every field; query-string numbers coerce. */
import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import * as contracts from '../../../core/contracts/market-data.ts';

type Json = { type?: string | string[]; description?: string; properties?: Record<string, Json>; items?: Json; additionalProperties?: Json | boolean; anyOf?: Json[]; $ref?: string };

function undescribed(schema: Json, path: string, out: string[]): string[] {
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (!prop.description && !prop.$ref) out.push(`${path}.${key}`);
    undescribed(prop, `${path}.${key}`, out);
    if (prop.items) undescribed(prop.items, `${path}.${key}[]`, out);
    if (typeof prop.additionalProperties === 'object') undescribed(prop.additionalProperties, `${path}.${key}{}`, out);
    for (const a of prop.anyOf ?? []) undescribed(a, `${path}.${key}|`, out);
  }
  return out;
}

describe('market-data contracts', () => {
  const schemas = Object.entries(contracts).filter(([name]) => name.endsWith('Schema')) as [string, z.ZodType][];

  it.each(schemas)('%s converts to JSON Schema with a description on every field', (_name, schema) => {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
    expect(undescribed(json, '', [])).toEqual([]);
  });

  it('numbers given as query strings coerce; bad values name the field', () => {
    expect(contracts.HistoricalPricesInputSchema.parse({ portfolio_id: 'x', lookback_days: '30' }).lookback_days).toBe(30);
    const r = contracts.QuotesInputSchema.safeParse({ symbols: 'AAPL', max_symbols: '26' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['max_symbols']);
  });
});
