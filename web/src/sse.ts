/** Streams a POST answered with server-sent events (fetch + eventsource-parser), one callback per event. */
import { createParser } from 'eventsource-parser';
import { writeHeaders } from './api.ts';

export interface StreamEvent {
  event: string;
  data: any;
}

export async function postStream(path: string, json: unknown, onEvent: (ev: StreamEvent) => void, signal: AbortSignal): Promise<void> {
  const res = await fetch(path, { method: 'POST', headers: writeHeaders({ 'content-type': 'application/json', accept: 'text/event-stream' }), body: JSON.stringify(json), credentials: 'same-origin', signal });
  if (!res.ok || !res.body) {
    let detail = `${res.status} ${res.statusText}`;
    try { const p = await res.json() as { detail?: string }; if (p.detail) detail = p.detail; } catch { /* not json */ }
    throw new Error(detail);
  }
  const parser = createParser({
    onEvent(ev) {
      let data: unknown = ev.data;
      try { data = JSON.parse(ev.data); } catch { /* plain text */ }
      onEvent({ event: ev.event ?? 'message', data });
    },
  });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.feed(value);
  }
}
