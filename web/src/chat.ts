/**
 * The chat pane: conversations of the active portfolio (list, resume, new), mode switch, and a
 * turn streamed over SSE with tokens appended as they arrive, tool calls as chips with preview
 * and timing, Stop (aborts the request; the server records the turn as aborted), and the
 * approval card for a write the agent proposed.
 */
import { api } from './api.ts';
import { h } from './dom.ts';
import { renderMarkdown } from './markdown.ts';
import { postStream, type StreamEvent } from './sse.ts';

const MODES = ['green', 'blue', 'indigo', 'violet'] as const;

export function chatPane(pid: string): HTMLElement {
  let conversationId: string | null = null;
  let controller: AbortController | null = null;
  const list = h('select', { 'aria-label': 'Conversation' });
  const mode = h('select', { 'aria-label': 'Mode' }, ...MODES.map((m) => h('option', { value: m }, m)));
  const messages = h('div', { class: 'messages', role: 'log', 'aria-label': 'Conversation messages', 'aria-live': 'polite' });
  const status = h('p', { class: 'status', 'data-chat-status': '' });
  const input = h('textarea', { 'aria-label': 'Message', placeholder: 'Ask about your portfolio, e.g. what is my beta?', rows: 2 });
  const send = h('button', { type: 'submit' }, 'Send');
  const stop = h('button', { type: 'button', class: 'secondary', disabled: true, onclick: () => controller?.abort() }, 'Stop');
  const newBtn = h('button', { type: 'button', class: 'secondary', onclick: () => { conversationId = null; list.value = ''; messages.replaceChildren(); status.textContent = 'New conversation'; } }, 'New');

  const loadList = async () => {
    const convs: any[] = await api('/api/v1/chat/conversations');
    const mine = convs.filter((c) => c.portfolio_id === pid);
    list.replaceChildren(h('option', { value: '' }, 'New conversation'), ...mine.map((c) => h('option', { value: c.id }, `${c.title ?? 'Untitled'} · ${new Date(c.updated_at).toLocaleString()}`)));
    if (conversationId) list.value = conversationId;
  };

  const bubble = (role: string, text: string, toolCalls: any[] = []) => {
    const md = h('div', { class: 'md' });
    md.innerHTML = role === 'user' ? '' : renderMarkdown(text);
    if (role === 'user') md.textContent = text;
    const chips = h('div', { class: 'chips' }, ...toolCalls.map((t) => chip(t.tool_name ?? t.name, t.preview ?? t.result_preview ?? '', t.duration_ms ?? null, t.ok !== false)));
    const el = h('div', { class: `msg ${role}`, 'data-role': role }, chips, md);
    messages.append(el);
    return { el, md, chips };
  };

  const resume = async (id: string) => {
    conversationId = id;
    const conv = await api(`/api/v1/chat/conversations/${encodeURIComponent(id)}`);
    mode.value = conv.mode;
    const page = await api(`/api/v1/chat/conversations/${encodeURIComponent(id)}/messages?limit=100`);
    messages.replaceChildren();
    for (const m of page.messages) bubble(m.role, m.content, m.tool_calls ?? []);
    messages.scrollTop = messages.scrollHeight;
  };

  list.addEventListener('change', () => { if (list.value) void resume(list.value).catch((e: Error) => { status.textContent = e.message; }); else newBtn.click(); });
  mode.addEventListener('change', async () => {
    if (!conversationId) return;
    await api(`/api/v1/chat/conversations/${encodeURIComponent(conversationId)}/mode`, { method: 'PUT', json: { mode: mode.value } }).catch((e: Error) => { status.textContent = e.message; });
    status.textContent = `Mode: ${mode.value} from the next answer`;
  });

  const runTurn = async (start: (onEvent: (ev: StreamEvent) => void, signal: AbortSignal) => Promise<void>) => {
    const reply = bubble('assistant', '');
    let text = '';
    let tokens = 0;
    const pending = new Map<string, HTMLElement>();
    controller = new AbortController();
    send.disabled = true;
    stop.disabled = false;
    status.textContent = 'Thinking…';
    reply.el.setAttribute('data-state', 'streaming');
    const onEvent = (ev: StreamEvent) => {
      const d = ev.data?.data ?? ev.data;
      switch (ev.event) {
        case 'token':
          text += d.delta;
          tokens++;
          reply.el.setAttribute('data-tokens', String(tokens));
          reply.md.innerHTML = renderMarkdown(text);
          status.textContent = 'Answering…';
          break;
        case 'message':
          text += d.delta;
          reply.md.innerHTML = renderMarkdown(text);
          break;
        case 'tool_call': {
          const c = chip(d.tool_name, 'running…', null, true);
          pending.set(d.tool_call_id, c);
          reply.chips.append(c);
          status.textContent = `Calling ${d.tool_name}…`;
          break;
        }
        case 'tool_result': {
          const c = chip(d.tool_name, d.preview, d.duration_ms, d.ok);
          const old = pending.get(d.tool_call_id);
          if (old) old.replaceWith(c); else reply.chips.append(c);
          break;
        }
        case 'approval_required':
          reply.el.after(approvalCard(d));
          break;
        case 'done':
          if (d.final_text && d.final_text !== text) { text = d.final_text; reply.md.innerHTML = renderMarkdown(text); }
          reply.el.setAttribute('data-state', d.status);
          status.textContent = d.status === 'awaiting_approval' ? 'Waiting for your decision' : `Done in ${(d.latency_ms / 1000).toFixed(1)} s · ${d.model_used}`;
          break;
        case 'error':
          reply.el.setAttribute('data-state', 'error');
          reply.el.append(h('p', { class: 'error', role: 'alert' }, d.message ?? 'The answer failed'));
          break;
        default:
          break;
      }
      messages.scrollTop = messages.scrollHeight;
    };
    try {
      await start(onEvent, controller.signal);
    } catch (e) {
      if ((e as Error).name === 'AbortError') {
        reply.el.setAttribute('data-state', 'aborted');
        status.textContent = 'Stopped';
      } else {
        reply.el.setAttribute('data-state', 'error');
        status.textContent = (e as Error).message;
      }
    } finally {
      controller = null;
      send.disabled = false;
      stop.disabled = true;
      void loadList().catch(() => undefined);
    }
  };

  const approvalCard = (a: any): HTMLElement => {
    const decide = (decision: 'approve' | 'reject') => {
      card.querySelectorAll('button').forEach((b) => { b.disabled = true; });
      void runTurn((onEvent, signal) => postStream(`/api/v1/chat/approvals/${encodeURIComponent(a.approval_id)}`, { decision }, onEvent, signal));
    };
    const card = h('div', { class: 'approval', role: 'group', 'aria-label': 'Proposed change' },
      h('strong', {}, 'Proposed change: '), h('span', {}, a.summary),
      h('pre', {}, JSON.stringify(a.arguments, null, 2)),
      h('p', { class: 'flags' }, `Expires ${new Date(a.expires_at).toLocaleString()}`),
      h('div', { class: 'toolbar' }, h('button', { type: 'button', onclick: () => decide('approve') }, 'Approve'), h('button', { type: 'button', class: 'secondary', onclick: () => decide('reject') }, 'Reject')));
    return card;
  };

  const form = h('form', { class: 'composer', onsubmit: async (ev: Event) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text || controller) return;
    input.value = '';
    try {
      if (!conversationId) {
        const conv = await api('/api/v1/chat/conversations', { json: { portfolio_id: pid } });
        conversationId = conv.id as string;
        if (mode.value !== conv.mode) await api(`/api/v1/chat/conversations/${encodeURIComponent(conv.id)}/mode`, { method: 'PUT', json: { mode: mode.value } });
      }
    } catch (e) {
      status.textContent = (e as Error).message;
      return;
    }
    bubble('user', text);
    const id = conversationId;
    await runTurn((onEvent, signal) => postStream('/api/v1/chat/send', { conversation_id: id, text, client_request_id: crypto.randomUUID() }, onEvent, signal));
  } }, input, send, stop);
  input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); form.requestSubmit(); } });

  void loadList().catch((e: Error) => { status.textContent = e.message; });
  return h('section', { class: 'card chat', 'aria-label': 'Chat with the agent' }, h('h2', {}, 'Ask SigmaSight'),
    h('div', { class: 'controls' }, list, mode, newBtn), messages, status, form);
}

function chip(name: string, preview: string, ms: number | null, ok: boolean): HTMLElement {
  return h('details', { class: 'chip-detail', 'data-tool': name },
    h('summary', { class: `chip${ok ? '' : ' fail'}` }, `${name}${ms === null ? '' : ` · ${ms} ms`}`), h('span', {}, preview));
}
