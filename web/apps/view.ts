/**
 * The MCP Apps views (`ui://sigmasight/*.html`): a host (Claude, ChatGPT, VS Code) shows one
 * beside the answer of the tool that declares it and hands it the tool's result over the ext-apps
 * bridge. The view named by `<body data-view>` renders that result's `structuredContent`:
 * the overview (NAV and exposures), the stress tests (worst first) or a simulated trade (before and
 * after). Text reaches the page through textContent only, so names users wrote stay text.
 */
import { App } from '@modelcontextprotocol/ext-apps';

type Any = Record<string, any>;
const root = document.getElementById('root')!;
const view = document.body.dataset['view'] ?? 'overview';

const usd = (v: unknown) => (typeof v === 'number' ? `${v < 0 ? '−' : ''}$${Math.abs(v).toLocaleString('en-US', { maximumFractionDigits: 0 })}` : '—');
const pct = (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '—');
const num = (v: unknown, d = 3) => (typeof v === 'number' ? v.toFixed(d) : '—');

function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

const kpi = (label: string, value: string, figure: string) => el('div', { class: 'kpi' }, el('span', {}, label), el('strong', { 'data-figure': figure }, value));

function table(header: string[], rows: string[][], numeric: boolean[]): HTMLElement {
  return el('table', {},
    el('thead', {}, el('tr', {}, ...header.map((h, i) => el('th', { scope: 'col', class: numeric[i] ? 'num' : '' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((v, i) => el('td', { class: numeric[i] ? 'num' : '' }, v))))));
}

function overview(o: Any): HTMLElement {
  if (!o['available']) return el('p', {}, `No results yet: ${String(o['reason'] ?? 'run the batch')}.`);
  const x = o['exposures'] ?? {};
  return el('section', {},
    el('h1', {}, `Overview · ${String(o['as_of'])}`),
    el('div', { class: 'kpis' }, kpi('NAV', usd(o['total_value']), 'nav'), kpi('Gross', `${usd(x['gross_exposure'])} (${pct(x['gross_percentage'])})`, 'gross'),
      kpi('Net', `${usd(x['net_exposure'])} (${pct(x['net_percentage'])})`, 'net'), kpi('Long', usd(x['long_exposure']), 'long'), kpi('Short', usd(x['short_exposure']), 'short'),
      kpi('P&L', usd(o['pnl']?.['total_pnl']), 'pnl')));
}

function stress(o: Any): HTMLElement {
  const scenarios: Any[] = o['data']?.['scenarios'] ?? [];
  if (!o['available'] || !scenarios.length) return el('p', {}, 'No stress results yet.');
  const worst = [...scenarios].sort((a, b) => a['impact']['dollar_impact'] - b['impact']['dollar_impact']);
  return el('section', {},
    el('h1', {}, `Stress tests · ${String(o['data']['calculation_date'])}`),
    table(['Scenario', 'P&L', '% of value'], worst.map((s) => [String(s['name']), usd(s['impact']['dollar_impact']), pct(s['impact']['percentage_impact'])]), [false, true, true]));
}

function whatIf(o: Any): HTMLElement {
  const b = o['before'] ?? {};
  const a = o['after'] ?? {};
  const row = (label: string, f: (s: Any) => unknown, fmt: (v: unknown) => string) => [label, fmt(f(b)), fmt(f(a))];
  return el('section', {},
    el('h1', {}, `What-if · ${String(o['as_of'])}`),
    table(['', 'Before', 'After'], [
      row('NAV', (s) => s['nav'], usd), row('Gross exposure', (s) => s['gross_exposure'], usd), row('Net exposure', (s) => s['net_exposure'], usd),
      row('VaR 99% 1 day', (s) => s['var']?.['var_99_1d'], usd), row('Market beta', (s) => (s['factor_betas'] as Any[] | undefined)?.find((f) => f['factor'] === 'Market')?.['beta'], (v) => num(v)),
    ], [false, true, true]),
    el('p', {}, 'Market beta change: ', el('strong', { 'data-figure': 'beta_change' }, num(o['change']?.['market_beta']))));
}

const RENDER: Record<string, (o: Any) => HTMLElement> = { overview, stress, 'what-if': whatIf };

const app = new App({ name: `SigmaSight ${view}`, version: '1.0.0' });
app.ontoolresult = (result) => {
  const content = (result as { structuredContent?: Any; isError?: boolean }).structuredContent;
  if ((result as { isError?: boolean }).isError || !content) {
    root.replaceChildren(el('p', { role: 'alert' }, 'The tool answered with an error; see the answer beside this view.'));
    return;
  }
  root.replaceChildren(RENDER[view]!(content));
  root.setAttribute('data-ready', '');
};
await app.connect();
