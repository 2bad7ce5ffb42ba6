/**
 * Requests the isolation scan sends, generated from the app's own `/openapi.json` and the MCP
 * `tools/list`, so a new route or tool is scanned without editing the test. Every parameter or
 * body property that names a record (`portfolio_id`, `job_id`, `position_ids`, …) is an id slot
 * of a known kind; an id-like name the scan does not know fails loudly, so it must be added here.
 */
import type { Kind, Member } from './isolation-world.ts';

/** Parameter and property names that carry the id of a user's record. */
export const ID_NAMES: Record<string, { kind: Kind; list?: true }> = {
  portfolio_id: { kind: 'portfolio' },
  position_id: { kind: 'position' },
  position_ids: { kind: 'position', list: true },
  conversation_id: { kind: 'conversation' },
  message_id: { kind: 'message' },
  run_id: { kind: 'run' },
  job_id: { kind: 'run' },
  import_id: { kind: 'import' },
  approval_id: { kind: 'approval' },
  connection_id: { kind: 'connection' },
};

/** Id-like names that name no record of a user, and why. */
export const NOT_RECORD_IDS: Record<string, string> = {
  client_request_id: 'an idempotency key the caller chooses, looked up only inside the caller’s own conversation',
};

export interface Slot {
  where: 'path' | 'query' | 'body';
  name: string;
  kind: Kind;
  list: boolean;
  required: boolean;
}

/** A documented operation with its id slots and its other inputs. */
export interface Operation {
  method: string;
  path: string;
  secured: boolean;
  slots: Slot[];
  query: { name: string; required: boolean }[];
  body: JsonSchema | null;
}

export interface Call {
  method: string;
  url: string;
  body?: Record<string, unknown>;
  /** Ids the request carries (an error may echo them). */
  sent: string[];
}

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  minLength?: number;
  format?: string;
  $ref?: string;
}

/** The slot's kind, null for a plain input; throws for an id-like name nobody classified. */
export function idName(name: string, where: string): { kind: Kind; list: boolean } | null {
  const known = ID_NAMES[name];
  if (known) return { kind: known.kind, list: !!known.list };
  if (where === 'path' || (/(^|_)ids?$/.test(name) && !(name in NOT_RECORD_IDS))) throw new Error(`${where} parameter "${name}" names a record the isolation scan does not know: add it to ID_NAMES or NOT_RECORD_IDS`);
  return null;
}

/** Values for plain inputs a request needs to be valid (chat texts, tickers). */
export const plainValue = (name: string, me: Member): string | undefined =>
  ({ message: 'What is my beta?', text: 'What is my beta?', mode: 'violet', symbols: [...me.symbols].sort()[0]! })[name];

export function operations(doc: { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, JsonSchema> } }): Operation[] {
  const deref = (s: JsonSchema): JsonSchema => (s.$ref ? doc.components!.schemas![s.$ref.split('/').pop()!]! : s);
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []) as { name: string; in: string; required?: boolean }[];
      const slots: Slot[] = [];
      const query: Operation['query'] = [];
      for (const p of params) {
        const id = idName(p.name, p.in);
        if (id) slots.push({ where: p.in as Slot['where'], name: p.name, ...id, required: p.in === 'path' || !!p.required });
        else if (p.in === 'query') query.push({ name: p.name, required: !!p.required });
      }
      const raw = op.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
      const body = raw ? deref(raw) : null;
      for (const [name] of Object.entries(body?.properties ?? {})) {
        const id = idName(name, 'body');
        if (id) slots.push({ where: 'body', name, ...id, required: !!body!.required?.includes(name) });
      }
      out.push({ method: method.toUpperCase(), path, secured: Array.isArray(op.security) && op.security.length > 0, slots, query, body });
    }
  }
  return out;
}

/** A valid value for a required plain body property. */
function sample(name: string, s: JsonSchema, me: Member): unknown {
  const plain = plainValue(name, me);
  if (plain !== undefined) return plain;
  if (s.enum) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'boolean') return false;
  if (type === 'integer' || type === 'number') return 1;
  if (s.format === 'email') return `scan-${me.userId.slice(0, 8)}@example.com`;
  return 'x'.repeat(Math.max(s.minLength ?? 1, 12));
}

/**
 * The request `me` sends with `value(slot)` in each id slot (undefined leaves an optional slot
 * out); plain query inputs we have values for are filled, required body properties sampled.
 */
export function buildCall(op: Operation, me: Member, value: (s: Slot) => string | undefined): Call {
  const sent: string[] = [];
  const put = (s: Slot) => {
    const v = value(s);
    if (v !== undefined) sent.push(...v.split(','));
    return v;
  };
  let url = op.path;
  const qs = new URLSearchParams();
  for (const s of op.slots) {
    const v = put(s);
    if (s.where === 'path') url = url.replace(`{${s.name}}`, encodeURIComponent(v ?? ''));
    else if (s.where === 'query' && v !== undefined) qs.set(s.name, v);
  }
  for (const q of op.query) {
    const v = plainValue(q.name, me);
    if (v !== undefined) qs.set(q.name, v);
  }
  let body: Record<string, unknown> | undefined;
  if (op.body) {
    body = {};
    for (const [name, schema] of Object.entries(op.body.properties ?? {})) {
      const slot = op.slots.find((s) => s.where === 'body' && s.name === name);
      if (slot) {
        const v = put(slot);
        if (v !== undefined) body[name] = v;
      } else if (op.body.required?.includes(name)) body[name] = sample(name, schema, me);
    }
  }
  return { method: op.method, url: qs.size ? `${url}?${qs}` : url, ...(body ? { body } : {}), sent };
}

/**
 * Calls of `me` naming `other`'s records: for each slot, the slot alone with the other's id (the
 * required slots keep `me`'s own ids, optional ones are left out), and for list slots also a list
 * mixing `me`'s id and the other's.
 */
export function foreignCalls(op: Operation, me: Member, other: Member): { slot: Slot; call: Call }[] {
  const calls: { slot: Slot; call: Call }[] = [];
  for (const target of op.slots) {
    const values = [other.ids[target.kind][0]!];
    if (target.list) values.push(`${me.ids[target.kind][0]},${other.ids[target.kind][1] ?? other.ids[target.kind][0]}`);
    for (const v of values) calls.push({ slot: target, call: buildCall(op, me, (s) => (s === target ? v : s.required ? me.ids[s.kind][0] : undefined)) });
  }
  return calls;
}

/**
 * Ways an owner fills id slots in their own reads: only the required slots (the unfiltered list),
 * every slot with their first or their last id of its kind, and every slot with a record they
 * share with others (a run over every portfolio).
 */
export function ownChoices(me: Member, shared: Partial<Record<Kind, string>>): ((s: { kind: Kind; required: boolean }) => string | undefined)[] {
  return [
    (s) => (s.required ? me.ids[s.kind][0] : undefined),
    (s) => me.ids[s.kind][0],
    (s) => me.ids[s.kind].at(-1),
    (s) => shared[s.kind] ?? me.ids[s.kind][0],
  ];
}

/**
 * The owner's own requests of an operation, one per distinct way of filling its id slots;
 * `bare` marks the one with only the required slots (which may be refused with 422 when the
 * operation needs one of its optional ids).
 */
export function ownCalls(op: Operation, me: Member, shared: Partial<Record<Kind, string>>): (Call & { bare: boolean })[] {
  const calls = ownChoices(me, shared).map((choose, i) => ({ ...buildCall(op, me, choose), bare: i === 0 }));
  return calls.filter((c, i) => calls.findIndex((d) => d.url === c.url && JSON.stringify(d.body) === JSON.stringify(c.body)) === i);
}

/** A tool's id slots: top-level properties, and properties of objects inside array properties (`trades[].position_id`). */
export function toolSlots(input: unknown): { path: string; top: string; leaf: string | null; kind: Kind; list: boolean }[] {
  const schema = input as JsonSchema;
  const out: { path: string; top: string; leaf: string | null; kind: Kind; list: boolean }[] = [];
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    const id = idName(name, 'tool input');
    if (id) out.push({ path: name, top: name, leaf: null, ...id });
    const items = [s, ...(s.anyOf ?? [])].find((x) => x.items)?.items;
    for (const leaf of Object.keys(items?.properties ?? {})) {
      const inner = idName(leaf, 'tool input');
      if (inner) out.push({ path: `${name}[].${leaf}`, top: name, leaf, ...inner });
    }
  }
  return out;
}
