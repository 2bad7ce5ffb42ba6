/** REST client of the console: cookie auth, the double-submit CSRF header on every write, problem+json errors. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown) {
    super(message);
  }
}

export function csrfToken(): string {
  const m = /(?:^|;\s*)csrf_token=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]!) : '';
}

export function writeHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'X-CSRF-Token': csrfToken(), ...extra };
}

export async function api<T = any>(path: string, init: { method?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<T> {
  const method = init.method ?? (init.json !== undefined || init.body !== undefined ? 'POST' : 'GET');
  const headers: Record<string, string> = { accept: 'application/json', ...(method === 'GET' ? {} : writeHeaders()), ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const res = await fetch(path, { method, headers, body: body ?? null, credentials: 'same-origin', signal: init.signal ?? null });
  const text = await res.text();
  let data: unknown = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!res.ok) {
    const d = data as { detail?: string; title?: string } | null;
    throw new ApiError(res.status, d?.detail ?? d?.title ?? `${res.status} ${res.statusText}`, data);
  }
  return data as T;
}
