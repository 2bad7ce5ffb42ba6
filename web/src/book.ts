/**
 * Book editing through /api/v1/portfolios: add a position, edit quantity and entry price, close
 * at a price, and import a holdings CSV (upload → preview table → commit merge or replace), then
 * follow the recompute the write queued until the batch run finishes.
 */
import { api } from './api.ts';
import { fmtNum, h } from './dom.ts';

const P = (pid: string) => `/api/v1/portfolios/${encodeURIComponent(pid)}`;

async function latestRun(): Promise<any | null> {
  const d = await api('/api/v1/admin/batch/jobs/status');
  return d.runs[0] ?? null;
}

/** Waits for a batch run newer than `since` to end; reports its state on the way. */
async function followRecompute(since: string | null, status: HTMLElement): Promise<void> {
  status.setAttribute('data-recompute', 'waiting');
  status.textContent = 'Recompute queued…';
  for (let i = 0; i < 300; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const run = await latestRun().catch(() => null);
    if (!run || run.run_id === since) continue;
    if (run.status === 'queued' || run.status === 'running') { status.textContent = `Recompute ${run.status}…`; continue; }
    status.setAttribute('data-recompute', run.status);
    status.textContent = `${status.getAttribute('data-note') ?? ''}Recompute ${run.status} (as of ${run.as_of})`;
    return;
  }
  status.textContent = 'Recompute still pending; see the Batch view.';
}

/** The outcome of the last write, shown again after the view re-renders with the new book. */
let lastNote: { text: string; recompute: string | null; error: boolean } | null = null;

export async function book(pid: string, rerender: () => void): Promise<HTMLElement> {
  const d = await api(`${P(pid)}/positions`);
  const status = h('p', { class: `status${lastNote?.error ? ' error' : ''}`, role: 'status', 'data-book-status': '', 'data-recompute': lastNote?.recompute ?? false }, lastNote?.text ?? '');
  lastNote = null;
  const fail = (e: Error) => { status.textContent = e.message; status.classList.add('error'); };
  /** Runs one write, then follows the recompute it queued (runs newer than the one before the write). */
  const act = async (write: () => Promise<any>) => {
    try {
      const before = (await latestRun().catch(() => null))?.run_id ?? null;
      const res = await write();
      status.setAttribute('data-note', res.created !== undefined ? `Imported: ${res.created} created, ${res.updated} updated, ${res.closed} closed. ` : 'Saved. ');
      if (res.recompute === 'queued') await followRecompute(before, status);
      else status.textContent = status.getAttribute('data-note');
      lastNote = { text: status.textContent ?? '', recompute: status.getAttribute('data-recompute'), error: false };
      rerender();
    } catch (e) { fail(e as Error); }
  };

  const sym = h('input', { name: 'symbol', required: true, maxlength: 32, autocomplete: 'off' });
  const qty = h('input', { name: 'quantity', type: 'number', step: 'any', min: '0', required: true });
  const px = h('input', { name: 'entry_price', type: 'number', step: 'any', min: '0', required: true });
  const side = h('select', { name: 'side' }, h('option', { value: 'long' }, 'long'), h('option', { value: 'short' }, 'short'));
  const add = h('form', { class: 'inline-form', 'aria-label': 'Add a position', onsubmit: (ev: Event) => {
    ev.preventDefault();
    void act(() => api(`${P(pid)}/positions`, { json: { symbol: sym.value.trim(), quantity: Number(qty.value), entry_price: Number(px.value), side: side.value } }));
  } }, h('label', {}, 'Symbol', sym), h('label', {}, 'Quantity', qty), h('label', {}, 'Entry price', px), h('label', {}, 'Side', side), h('button', { type: 'submit' }, 'Add position'));

  const open = (d.positions as any[]).filter((p) => !p.exit_date);
  const rows = open.map((p) => {
    const q = h('input', { type: 'number', step: 'any', min: '0', value: String(p.quantity), 'aria-label': `${p.symbol} quantity` });
    const e = h('input', { type: 'number', step: 'any', min: '0', value: String(p.entry_price), 'aria-label': `${p.symbol} entry price` });
    const x = h('input', { type: 'number', step: 'any', min: '0', placeholder: 'exit price', 'aria-label': `${p.symbol} exit price` });
    return h('tr', { 'data-symbol': p.symbol }, h('td', {}, p.symbol), h('td', {}, p.side), h('td', {}, q), h('td', {}, e),
      h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: () => void act(() => api(`${P(pid)}/positions/${p.id}`, { method: 'PATCH', json: { quantity: Number(q.value), entry_price: Number(e.value) } })) }, `Save ${p.symbol}`)),
      h('td', {}, x, ' ', h('button', { type: 'button', class: 'secondary', onclick: () => { if (!x.value) { x.focus(); return; } void act(() => api(`${P(pid)}/positions/${p.id}/close`, { json: { exit_price: Number(x.value) } })); } }, `Close ${p.symbol}`)));
  });

  const file = h('input', { type: 'file', accept: '.csv,text/csv,text/plain', 'aria-label': 'Holdings CSV file' });
  const preview = h('div', { 'data-import-preview': '' });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    preview.replaceChildren(h('p', {}, 'Reading the file…'));
    try {
      const pv = await api(`${P(pid)}/imports`, { method: 'POST', body: await f.text(), headers: { 'content-type': 'text/csv' } });
      const mode = h('select', { 'aria-label': 'Import mode' }, h('option', { value: 'merge' }, 'merge (add and update)'), h('option', { value: 'replace' }, 'replace (also close positions not in the file)'));
      const commit = h('button', { type: 'button', disabled: !pv.committable, onclick: async () => {
        commit.disabled = true;
        await act(() => api(`${P(pid)}/imports/${encodeURIComponent(pv.import_id)}/commit`, { json: { mode: mode.value } }));
      } }, 'Commit import');
      const s = pv.summary;
      preview.replaceChildren(
        h('p', { 'data-import-summary': '' }, `${s.rows} rows: ${s.create} to create, ${s.update} to update, ${s.unchanged} unchanged, ${s.problems} problems${s.missing_history ? `, ${s.missing_history} without price history` : ''}`),
        ...(pv.problems as any[]).map((p) => h('p', { class: 'error' }, `Line ${p.line}${p.column ? ` (${p.column})` : ''}: ${p.message}`)),
        h('div', { class: 'table-wrap' }, h('table', { 'data-table': 'import-preview' },
          h('thead', {}, h('tr', {}, ...['Line', 'Symbol', 'Type', 'Side', 'Quantity', 'Entry price', 'Action', 'Warnings'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, ...(pv.rows as any[]).map((r) => h('tr', {}, h('td', {}, r.line), h('td', {}, r.position.symbol), h('td', {}, r.position.asset_type), h('td', {}, r.position.side),
            h('td', { class: 'num' }, fmtNum(r.position.quantity, 0)), h('td', { class: 'num' }, fmtNum(r.position.entry_price)), h('td', {}, r.action), h('td', {}, r.warnings.join('; '))))))),
        h('div', { class: 'toolbar' }, mode, commit));
    } catch (e) { preview.replaceChildren(h('p', { class: 'error', role: 'alert' }, (e as Error).message)); }
  });

  return h('div', {}, status,
    h('h3', {}, 'Add a position'), add,
    h('h3', {}, 'Open positions'),
    h('div', { class: 'table-wrap' }, h('table', { 'data-table': 'book' }, h('thead', {}, h('tr', {}, ...['Symbol', 'Side', 'Quantity', 'Entry price', 'Edit', 'Close'].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, ...rows))),
    h('h3', {}, 'Import holdings (CSV)'), h('label', {}, 'Choose a file to preview', file), preview);
}
