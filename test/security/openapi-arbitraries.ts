/**
 * fast-check arbitraries generated from the API's own /openapi.json (itself generated from the
 * zod contracts): a valid value for every documented parameter and body, and the hostile
 * variants the fuzz suite sends instead — wrong types, NUL and other control characters, lone
 * surrogates, 1 MB strings, huge and negative numbers, unknown fields.
 */
import fc from 'fast-check';
import type { TestApp } from '../api/helpers.ts';

/** The subset of JSON Schema the contracts produce. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  example?: unknown;
}

export interface Operation {
  method: string;
  path: string;
  params: { name: string; in: 'path' | 'query'; required: boolean; schema: JsonSchema }[];
  body: JsonSchema | null;
  contentType: string | null;
  secured: boolean;
}

export interface OpenApi {
  operations: Operation[];
  resolve: (s: JsonSchema) => JsonSchema;
}

export async function readOpenApi(app: TestApp): Promise<OpenApi> {
  const doc = (await (await app.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, { parameters?: Operation['params']; requestBody?: { content: Record<string, { schema: JsonSchema }> }; security?: unknown[] }>>;
    components?: { schemas?: Record<string, JsonSchema> };
  };
  const schemas = doc.components?.schemas ?? {};
  const resolve = (s: JsonSchema): JsonSchema => {
    let cur = s;
    for (let i = 0; cur.$ref && i < 20; i++) cur = schemas[cur.$ref.replace('#/components/schemas/', '')] ?? {};
    return cur;
  };
  const operations: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const content = op.requestBody?.content;
      const contentType = content ? Object.keys(content)[0]! : null;
      operations.push({
        method,
        path,
        params: (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema ?? {}) })),
        body: contentType ? resolve(content![contentType]!.schema) : null,
        contentType,
        secured: Array.isArray(op.security) && op.security.length > 0,
      });
    }
  }
  return { operations, resolve };
}

const UUID_PATTERN = /^\^\[0-9a-f\]\{8\}/;
const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** Values that satisfy `schema`, biased towards the ones the demo data can answer (`ids` are the caller's own ids). */
export function validArb(schema: JsonSchema, api: OpenApi, ids: string[], depth = 0): fc.Arbitrary<unknown> {
  const s = api.resolve(schema);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => validArb(a, api, ids, depth + 1)));
  if (s.allOf?.length) return validArb(s.allOf[0]!, api, ids, depth + 1);
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : ['string'];
  const type = types.find((t) => t !== 'null') ?? 'null';
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : min + 1000);
      return fc.integer({ min, max: Math.max(min, max) });
    }
    case 'number': {
      const min = s.minimum ?? s.exclusiveMinimum ?? -1000;
      const max = s.maximum ?? s.exclusiveMaximum ?? 1000;
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'array': {
      if (depth > 4) return fc.constant([]);
      return fc.array(validArb(s.items ?? {}, api, ids, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
    }
    case 'object': {
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, namedArb(k, v, api, ids, depth + 1)]));
      return fc.record(model, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
    }
    default: {
      if (s.example !== undefined && typeof s.example === 'string') return fc.constantFrom(s.example, ...(s.pattern && UUID_PATTERN.test(s.pattern) ? ids : []));
      if (s.pattern && UUID_PATTERN.test(s.pattern)) return fc.constantFrom(...ids);
      if (s.pattern === DATE_PATTERN) return fc.constantFrom('2026-07-13', '2026-07-10', '2026-06-30');
      if (s.format === 'email') return fc.constant('demo_individual@sigmasight.com');
      const min = s.minLength ?? 0;
      const max = Math.max(min, Math.min(s.maxLength ?? 24, 24));
      return fc.stringMatching(/^[A-Za-z0-9 ]*$/).filter((v) => v.length >= min && v.length <= max).map((v) => v || 'AAPL'.slice(0, Math.max(min, 1)));
    }
  }
}

/** The caller's own record ids by parameter name (`position_id`, `import_id`), set by the test that owns them. */
export const OWN_RECORD_IDS: Record<string, string[]> = {};

/** As validArb, but a field or parameter named like a portfolio id (or another record in OWN_RECORD_IDS) gets one of the caller's own ids, so the request reaches the handler. */
export function namedArb(name: string, schema: JsonSchema, api: OpenApi, ids: string[], depth = 0): fc.Arbitrary<unknown> {
  if (/(^|_)portfolio_id$/.test(name)) return fc.constantFrom(...ids);
  if (OWN_RECORD_IDS[name]?.length) return fc.constantFrom(...OWN_RECORD_IDS[name]);
  return validArb(schema, api, ids, depth);
}

/** Strings no text input accepts. */
export const CONTROL_STRINGS = ['\u0000', 'AAPL\u0000', 'a\u0000b', '\u0001', 'x\u0007y', '\u001b[31m', '\u007f', '\uD800', 'ok\uDC00', 'A\uDBFF'];

/** A hostile replacement for one value: wrong types, control characters, lone surrogates, 1 MB strings, huge and negative numbers. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CONTROL_STRINGS) },
  fc.constantFrom('x'.repeat(1_000_000), '\u0000'.repeat(10_000)),
  fc.constantFrom(-1, -1e15, 1e308, -1e308, 2 ** 53 + 1, 0.5, 0, 1e-320),
  fc.constantFrom(true, false, null, [], {}, [1, 2], { $gt: '' }, 'NaN', 'Infinity', '-0', '1e999', ''),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** A query-string spelling of a hostile value. */
export const asQueryString = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');
