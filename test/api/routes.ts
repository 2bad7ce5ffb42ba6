/** Every route the API documents, read from its own /openapi.json, so the isolation and fuzz tests cover new routes automatically. */
import type { TestApp } from './helpers.ts';

export interface DocumentedRoute {
  method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  path: string;
  pathParams: string[];
  queryParams: string[];
  hasBody: boolean;
  secured: boolean;
}

export async function documentedRoutes(app: TestApp): Promise<DocumentedRoute[]> {
  const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, any>> };
  const out: DocumentedRoute[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []) as { name: string; in: string }[];
      out.push({
        method: method as DocumentedRoute['method'],
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        hasBody: Boolean(op.requestBody),
        secured: Array.isArray(op.security) && op.security.length > 0,
      });
    }
  }
  return out;
}

/** `/a/{x}/b` with `{x}` replaced (URL-encoded). */
export const fillPath = (path: string, values: Record<string, string>): string => path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(values[k] ?? ''));
