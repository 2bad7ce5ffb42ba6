/** Risk views, each from its REST route only; every chart comes with a table view and a CSV download. */
import { api } from './api.ts';
import { fmtNum, fmtPct, fmtUsd, h } from './dom.ts';
import { bars, lineChart, panel, tableOf, type Dataset } from './panel.ts';

const A = (id: string) => `/api/v1/analytics/portfolio/${encodeURIComponent(id)}`;

function quality(d: any): HTMLElement {
  const q = d?.data_quality;
  const parts: string[] = [];
  if (d?.as_of) parts.push(`as of ${d.as_of}`);
  if (q?.stale) parts.push(`stale prices: ${q.stale_symbols.join(', ')}`);
  if (q?.proxied) parts.push(`proxied: ${q.proxied_symbols.join(', ')}`);
  if (q?.unpriced) parts.push(`unpriced: ${q.unpriced_symbols.join(', ')}`);
  return h('p', { class: 'flags', 'data-figure': 'as_of' }, parts.join(' · '));
}

function unavailable(d: any): HTMLElement | null {
  return d && d.available === false ? h('p', { class: 'flags' }, `Not computed yet${d.reason ? `: ${d.reason}` : ''}. Run a batch from the Batch view.`) : null;
}

function kpi(label: string, value: string, key: string): HTMLElement {
  return h('div', {}, h('dt', {}, label), h('dd', { 'data-figure': key }, value));
}

export async function overview(pid: string): Promise<HTMLElement> {
  const d = await api(`${A(pid)}/overview`);
  const na = unavailable(d);
  if (na) return na;
  const e = d.exposures;
  return h('div', {}, quality(d),
    h('dl', { class: 'kpis' },
      kpi('NAV', fmtUsd(d.total_value), 'nav'), kpi('Cash', fmtUsd(d.cash_balance), 'cash'),
      kpi('Long', fmtUsd(e.long_exposure), 'long'), kpi('Short', fmtUsd(e.short_exposure), 'short'),
      kpi('Gross', `${fmtUsd(e.gross_exposure)} (${fmtPct(e.gross_percentage, 1)})`, 'gross'), kpi('Net', `${fmtUsd(e.net_exposure)} (${fmtPct(e.net_percentage, 1)})`, 'net'),
      kpi('Unrealized P&L', fmtUsd(d.pnl.unrealized_pnl), 'unrealized'), kpi('Positions', String(d.position_count.total_positions), 'positions')));
}

export async function positions(pid: string): Promise<HTMLElement> {
  const [d, g] = await Promise.all([api(`/api/v1/data/portfolios/${encodeURIComponent(pid)}/positions`), api(`${A(pid)}/greeks`).catch(() => null)]);
  const greeks = new Map<string, any>((g?.positions ?? []).map((x: any) => [x.position_id, x]));
  const greek = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? '—' : fmtNum(v, digits));
  const cols: { key: string; label: string; num: boolean; fmt: (v: any) => string }[] = [
    { key: 'symbol', label: 'Symbol', num: false, fmt: String },
    { key: 'position_type', label: 'Type', num: false, fmt: String },
    { key: 'quantity', label: 'Quantity', num: true, fmt: (v) => fmtNum(v, 0) },
    { key: 'entry_price', label: 'Entry', num: true, fmt: (v) => fmtNum(v) },
    { key: 'current_price', label: 'Price', num: true, fmt: (v) => fmtNum(v) },
    { key: 'market_value', label: 'Market value', num: true, fmt: fmtUsd },
    { key: 'unrealized_pnl', label: 'Unrealized P&L', num: true, fmt: fmtUsd },
    { key: 'unrealized_pnl_percent', label: 'P&L %', num: true, fmt: (v) => fmtPct(v) },
    { key: 'delta', label: 'Delta', num: true, fmt: (v) => greek(v, 3) },
    { key: 'gamma', label: 'Gamma', num: true, fmt: (v) => greek(v, 4) },
    { key: 'theta_per_day', label: 'Theta/day', num: true, fmt: (v) => greek(v, 3) },
    { key: 'vega_per_vol_point', label: 'Vega/pt', num: true, fmt: (v) => greek(v, 3) },
  ];
  // Greeks per share from the latest batch, for the options (null for stocks and funds)
  const rows: any[] = d.positions.map((p: any) => { const x = greeks.get(p.id); return { ...p, delta: x?.delta ?? null, gamma: x?.gamma ?? null, theta_per_day: x?.theta_per_day ?? null, vega_per_vol_point: x?.vega_per_vol_point ?? null }; });
  let sortKey = 'market_value';
  let dir = -1;
  const wrap = h('div', {});
  const render = () => {
    rows.sort((a, b) => (typeof a[sortKey] === 'number' || typeof b[sortKey] === 'number' ? ((a[sortKey] ?? -Infinity) - (b[sortKey] ?? -Infinity) || 0) * dir : String(a[sortKey]).localeCompare(String(b[sortKey])) * dir));
    wrap.replaceChildren(h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Positions table' }, h('table', { 'data-table': 'positions' },
      h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : '', 'aria-sort': c.key === sortKey ? (dir > 0 ? 'ascending' : 'descending') : 'none' },
        h('button', { class: 'sort', type: 'button', onclick: () => { if (sortKey === c.key) dir = -dir; else { sortKey = c.key; dir = c.num ? -1 : 1; } render(); } }, c.label))))),
      h('tbody', {}, ...rows.map((p) => h('tr', { 'data-symbol': p.symbol }, ...cols.map((c) => h('td', { class: `${c.num ? 'num' : ''}${c.key === 'unrealized_pnl' && p[c.key] < 0 ? ' neg' : ''}`, 'data-col': c.key }, c.fmt(p[c.key])))))))));
  };
  render();
  return h('div', {}, quality(d.meta ?? {}), wrap);
}

export async function factors(pid: string): Promise<HTMLElement> {
  const d = await api(`${A(pid)}/factor-exposures`);
  const na = unavailable(d);
  if (na) return na;
  const ds: Dataset = { name: 'Factor exposures', header: ['Factor', 'Beta', 'Exposure (USD)'], numeric: [false, true, true], rows: d.factors.map((f: any) => [f.name, f.beta, f.exposure_dollar]) };
  return h('div', {}, quality(d), panel(ds, () => bars(d.factors.map((f: any) => ({ label: f.name, value: f.beta, text: fmtNum(f.beta, 3) })))));
}

export async function stress(pid: string): Promise<HTMLElement> {
  const d = await api(`${A(pid)}/stress-test`);
  const na = unavailable(d);
  if (na) return na;
  const sc: any[] = [...d.data.scenarios].sort((a, b) => a.impact.dollar_impact - b.impact.dollar_impact);
  const ds: Dataset = { name: 'Stress tests', header: ['Scenario', 'Category', 'P&L (USD)', 'P&L %'], numeric: [false, false, true, true], rows: sc.map((s) => [s.name, s.category, s.impact.dollar_impact, s.impact.percentage_impact]) };
  const tbl = tableOf(ds, (c, v) => (c === 2 ? fmtUsd(v as number) : c === 3 ? fmtPct(v as number) : String(v)));
  tbl.querySelector('table')?.setAttribute('data-table', 'stress');
  return h('div', {}, quality(d), tbl, h('h3', {}, 'P&L by scenario'), panel(ds, () => bars(sc.map((s) => ({ label: s.id, value: s.impact.dollar_impact, text: fmtUsd(s.impact.dollar_impact) })))));
}

export async function risk(pid: string): Promise<HTMLElement> {
  const [m, bt] = await Promise.all([api(`${A(pid)}/risk-metrics`), api(`${A(pid)}/var-backtest`)]);
  const na = unavailable(m);
  if (na) return na;
  const r = m.risk_metrics;
  const out = h('div', {}, quality(m), h('dl', { class: 'kpis' },
    kpi('VaR 95% 1d', fmtUsd(r.var_95_1d), 'var_95_1d'), kpi('CVaR 95% 1d', fmtUsd(r.cvar_95_1d), 'cvar_95_1d'),
    kpi('VaR 99% 1d', fmtUsd(r.var_99_1d), 'var_99_1d'), kpi('CVaR 99% 1d', fmtUsd(r.cvar_99_1d), 'cvar_99_1d'),
    kpi('VaR 99% 10d', fmtUsd(r.var_99_10d), 'var_99_10d'), kpi('Beta', fmtNum(r.portfolio_beta, 3), 'beta'),
    kpi('Volatility (ann.)', fmtPct(r.annualized_volatility * 100), 'vol'), kpi('Max drawdown', fmtPct(r.max_drawdown * 100), 'mdd')));
  if (bt.available && bt.backtest) {
    const days: any[] = bt.backtest.days;
    const levels: any[] = bt.backtest.levels;
    out.append(h('h3', {}, `VaR backtest, ${bt.backtest.start_date} to ${bt.backtest.end_date}`),
      tableOf({ name: 'Backtest tests', header: ['Method', 'Confidence', 'Days', 'Exceptions', 'Expected', 'Kupiec', 'Traffic light'], numeric: [false, true, true, true, true, false, false],
        rows: levels.map((l) => [l.method, l.confidence, l.days, l.exceptions, Number(l.expected.toFixed(1)), l.kupiec_pof.verdict, l.traffic_light?.zone ?? '—']) }),
      panel({ name: 'VaR backtest', header: ['Date', 'P&L', 'Historical VaR 95', 'Historical VaR 99', 'Parametric VaR 95', 'Monte Carlo VaR 95'], numeric: [false, true, true, true, true, true],
        rows: days.map((x) => [x.date, x.pnl, x.historical_95, x.historical_99, x.parametric_95, x.monte_carlo_95]) },
      () => lineChart(days.map((x) => x.date), [
        { label: 'Daily P&L', values: days.map((x) => x.pnl), color: '#888', points: true },
        { label: '−VaR 95 (historical)', values: days.map((x) => -x.historical_95), color: '#d9822b' },
        { label: '−VaR 99 (historical)', values: days.map((x) => -x.historical_99), color: '#c0392b' },
      ])));
  }
  return out;
}

export async function correlation(pid: string): Promise<HTMLElement> {
  const d = await api(`${A(pid)}/correlation-matrix`);
  const na = unavailable(d);
  if (na) return na;
  const matrix = d.data.matrix as Record<string, Record<string, number>>;
  const clusters = (d.data.clusters ?? []) as { name: string; members: string[]; avg_correlation: number | null; gross_value: number | null }[];
  // Members of each cluster side by side (the blocks along the diagonal), then the symbols in no cluster.
  const clusterOf = new Map<string, number>();
  clusters.forEach((c, i) => c.members.forEach((m) => clusterOf.has(m) || clusterOf.set(m, i + 1)));
  const syms = [...clusterOf.keys(), ...Object.keys(matrix).filter((s) => !clusterOf.has(s))];
  const tag = (s: string) => (clusterOf.has(s) ? `C${clusterOf.get(s)}` : '');
  const ds: Dataset = { name: 'Correlations', header: ['Symbol', 'Cluster', ...syms], numeric: [false, false, ...syms.map(() => true)], rows: syms.map((a) => [a, tag(a) || null, ...syms.map((b) => matrix[a]![b] ?? null)]) };
  const heat = () => h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Correlation heat map, symbols grouped by cluster' }, h('table', { class: 'heat', 'data-table': 'correlation' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), ...syms.map((s) => h('th', { scope: 'col', 'data-cluster': tag(s) }, s)))),
    h('tbody', {}, ...syms.map((a) => h('tr', {}, h('th', { scope: 'row', 'data-cluster': tag(a), title: tag(a) ? `cluster ${tag(a)}: ${clusters[clusterOf.get(a)! - 1]!.name}` : 'in no cluster' }, tag(a) ? `${a} · ${tag(a)}` : a), ...syms.map((b) => {
      const v = matrix[a]![b] ?? 0;
      const same = tag(a) !== '' && tag(a) === tag(b);
      return h('td', { class: `cell h${Math.min(6, Math.max(0, Math.floor((v + 1) / 2 * 7)))}${same ? ' in-cluster' : ''}`, title: `${a} / ${b}: ${v.toFixed(3)}`, 'data-pair': `${a}/${b}` }, v.toFixed(2));
    }))))));
  const table = clusters.length
    ? h('div', { 'data-table': 'clusters' }, h('h3', {}, 'Clusters'), tableOf({
      name: 'Correlation clusters', header: ['Cluster', 'Name', 'Members', 'Average ρ', 'Gross value'], numeric: [false, false, false, true, true],
      rows: clusters.map((c, i) => [`C${i + 1}`, c.name, c.members.join(', '), c.avg_correlation === null ? null : Number(c.avg_correlation.toFixed(3)), c.gross_value]),
    }))
    : h('p', {}, 'No cluster: no two holdings move together with |ρ| ≥ 0.7.');
  return h('div', {}, quality(d), h('p', {}, 'Average correlation: ', h('strong', { 'data-figure': 'avg_corr' }, fmtNum(Number(d.data.average_correlation), 3))), panel(ds, heat), table);
}

export async function history(pid: string): Promise<HTMLElement> {
  const d = await api(`${A(pid)}/snapshots`);
  const na = unavailable(d);
  if (na) return na;
  const snaps: any[] = [...d.snapshots].sort((a, b) => a.date.localeCompare(b.date));
  const last = snaps.at(-1);
  const ds: Dataset = { name: 'NAV history', header: ['Date', 'NAV', 'Daily P&L', 'Cumulative P&L'], numeric: [false, true, true, true], rows: snaps.map((s) => [s.date, s.nav, s.daily_pnl, s.cumulative_pnl]) };
  return h('div', {}, quality(d), h('dl', { class: 'kpis' }, kpi('Latest NAV', fmtUsd(last?.nav), 'latest_nav'), kpi('Daily P&L', fmtUsd(last?.daily_pnl), 'daily_pnl'), kpi('Snapshots', String(snaps.length), 'snapshots')),
    panel(ds, () => lineChart(snaps.map((s) => s.date), [{ label: 'NAV', values: snaps.map((s) => s.nav), color: '#1f5fbf', points: snaps.length < 3 }])),
    panel({ ...ds, name: 'Daily P&L', header: ['Date', 'Daily P&L'], rows: snaps.map((s) => [s.date, s.daily_pnl]) }, () => bars(snaps.slice(-30).map((s) => ({ label: s.date, value: s.daily_pnl, text: fmtUsd(s.daily_pnl) })))));
}

/** Batch runs with their progress; polls while one is queued or running. */
export async function batch(pid: string, onRefresh: (el: HTMLElement) => void): Promise<HTMLElement> {
  const d = await api('/api/v1/admin/batch/jobs/status');
  const runs: any[] = d.runs.slice(0, 10);
  const details = await Promise.all(runs.slice(0, 3).map((r) => api(`/api/v1/admin/batch/jobs/${encodeURIComponent(r.run_id)}`).catch(() => r)));
  const progress = new Map(details.map((x: any) => [x.run_id, x.progress]));
  const active = runs.some((r) => r.status === 'queued' || r.status === 'running');
  const el = h('div', {},
    h('div', { class: 'toolbar' }, h('button', { type: 'button', onclick: async (ev: Event) => {
      (ev.target as HTMLButtonElement).disabled = true;
      await api(`/api/v1/admin/batch/trigger/daily?portfolio_id=${encodeURIComponent(pid)}`, { method: 'POST' }).catch((e: Error) => alert(e.message));
      onRefresh(await batch(pid, onRefresh));
    } }, 'Run batch for this portfolio'), h('span', { class: 'status', 'data-figure': 'batch_state' }, active ? 'A run is in progress…' : 'Idle')),
    h('div', { class: 'table-wrap' }, h('table', { 'data-table': 'batch' },
      h('thead', {}, h('tr', {}, ...['Run', 'As of', 'Trigger', 'Status', 'Progress', 'Duration'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...runs.map((r) => {
        const p = progress.get(r.run_id);
        const bar = h('span', {});
        bar.style.width = `${p?.percent ?? (r.status === 'succeeded' ? 100 : 0)}%`;
        return h('tr', { 'data-run': r.run_id, 'data-status': r.status }, h('td', {}, r.run_id.slice(0, 8)), h('td', {}, r.as_of), h('td', {}, r.trigger), h('td', { 'data-col': 'status' }, r.status),
          h('td', {}, h('div', { class: 'progress', role: 'progressbar', 'aria-label': `run ${r.run_id.slice(0, 8)} progress`, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': p?.percent ?? 0 }, bar)),
          h('td', { class: 'num' }, r.duration_ms === null ? '—' : `${(r.duration_ms / 1000).toFixed(1)} s`));
      })))));
  if (active) setTimeout(() => { if (el.isConnected) void batch(pid, onRefresh).then((n) => { if (el.isConnected) onRefresh(n); }); }, 1000);
  return el;
}
