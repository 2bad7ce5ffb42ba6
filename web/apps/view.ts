/**
 * The MCP Apps views (`ui://sigmasight/*.html`): a host (Claude, ChatGPT, VS Code) shows one
 * beside the answer of the tool that declares it and hands it the tool's result over the ext-apps
 * bridge. The view named by `<body data-view>` renders that result's `structuredContent`:
 * the overview (NAV and exposures), the stress tests (worst first) or a simulated trade (before and
 * after). Text reaches the page through textContent only, so names users wrote stay text.
 */
import { App } from '@modelcontextprotocol/ext-apps';
import { fmtNum, fmtPct, fmtUsd, h } from '../src/dom.ts';

type Any = Record<string, any>;
const root = document.getElementById('root')!;
const view = document.body.dataset['view'] ?? 'overview';

// percentages with one decimal, betas with three (the console's formats)
const pct = (v: number | null | undefined) => fmtPct(v, 1);
const num = (v: number | null | undefined) => fmtNum(v, 3);

const kpi = (label: string, value: string, figure: string) => h('div', { class: 'kpi' }, h('span', {}, label), h('strong', { 'data-figure': figure }, value));

function table(header: string[], rows: string[][], numeric: boolean[]): HTMLElement {
  return h('table', {},
    h('thead', {}, h('tr', {}, ...header.map((c, i) => h('th', { scope: 'col', class: numeric[i] ? 'num' : '' }, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((v, i) => h('td', { class: numeric[i] ? 'num' : '' }, v))))));
}

function overview(o: Any): HTMLElement {
  if (!o['available']) return h('p', {}, `No results yet: ${String(o['reason'] ?? 'run the batch')}.`);
  const x = o['exposures'] ?? {};
  return h('section', {},
    h('h1', {}, `Overview · ${String(o['as_of'])}`),
    h('div', { class: 'kpis' }, kpi('NAV', fmtUsd(o['total_value']), 'nav'), kpi('Gross', `${fmtUsd(x['gross_exposure'])} (${pct(x['gross_percentage'])})`, 'gross'),
      kpi('Net', `${fmtUsd(x['net_exposure'])} (${pct(x['net_percentage'])})`, 'net'), kpi('Long', fmtUsd(x['long_exposure']), 'long'), kpi('Short', fmtUsd(x['short_exposure']), 'short'),
      kpi('P&L', fmtUsd(o['pnl']?.['total_pnl']), 'pnl')));
}

function stress(o: Any): HTMLElement {
  const scenarios: Any[] = o['data']?.['scenarios'] ?? [];
  if (!o['available'] || !scenarios.length) return h('p', {}, 'No stress results yet.');
  const worst = [...scenarios].sort((a, b) => a['impact']['dollar_impact'] - b['impact']['dollar_impact']);
  return h('section', {},
    h('h1', {}, `Stress tests · ${String(o['data']['calculation_date'])}`),
    table(['Scenario', 'P&L', '% of value'], worst.map((s) => [String(s['name']), fmtUsd(s['impact']['dollar_impact']), pct(s['impact']['percentage_impact'])]), [false, true, true]));
}

function whatIf(o: Any): HTMLElement {
  const b = o['before'] ?? {};
  const a = o['after'] ?? {};
  const row = (label: string, f: (s: Any) => number | null | undefined, fmt: (v: number | null | undefined) => string) => [label, fmt(f(b)), fmt(f(a))];
  return h('section', {},
    h('h1', {}, `What-if · ${String(o['as_of'])}`),
    table(['', 'Before', 'After'], [
      row('NAV', (s) => s['nav'], fmtUsd), row('Gross exposure', (s) => s['gross_exposure'], fmtUsd), row('Net exposure', (s) => s['net_exposure'], fmtUsd),
      row('VaR 99% 1 day', (s) => s['var']?.['var_99_1d'], fmtUsd), row('Market beta', (s) => (s['factor_betas'] as Any[] | undefined)?.find((f) => f['factor'] === 'Market')?.['beta'], num),
    ], [false, true, true]),
    h('p', {}, 'Market beta change: ', h('strong', { 'data-figure': 'beta_change' }, num(o['change']?.['market_beta']))));
}

const RENDER: Record<string, (o: Any) => HTMLElement> = { overview, stress, 'what-if': whatIf };

const app = new App({ name: `SigmaSight ${view}`, version: '1.0.0' });
app.ontoolresult = (result) => {
  const content = (result as { structuredContent?: Any; isError?: boolean }).structuredContent;
  if ((result as { isError?: boolean }).isError || !content) {
    root.replaceChildren(h('p', { role: 'alert' }, 'The tool answered with an error; see the answer beside this view.'));
    return;
  }
  root.replaceChildren(RENDER[view]!(content));
  root.setAttribute('data-ready', '');
};
await app.connect();
