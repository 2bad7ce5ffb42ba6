/** Terminal rendering of a batch run: the live portfolio × phase grid and the final summary table. */
import type { BatchStatus, PhaseStatus } from '../../core/contracts/batch.ts';
import type { Principal } from '../../core/services/context.ts';
import { table } from './cli.ts';

/** The local operator running the CLI: sees every portfolio. */
export const LOCAL_OPERATOR: Principal = { userId: '00000000-0000-0000-0000-000000000000', email: 'cli@localhost', role: 'admin' };

const MARK: Record<PhaseStatus['status'], string> = { queued: '·', running: '▸', succeeded: '✓', partial: '!', failed: '✗', skipped: '–', interrupted: '‖' };
const SHORT: Record<string, string> = {
  market_data: 'mkt', factor_model: 'fmod', valuation: 'val', greeks: 'grk', factors: 'fac', scenarios: 'scn', stress: 'str',
  risk: 'risk', snapshot: 'snap', correlations: 'corr', reports: 'rpt',
};

/** Grid: one row per portfolio, one column per phase, plus the global phases and overall progress. */
export function renderProgress(s: BatchStatus): string {
  const phases = s.portfolios[0]?.phases.map((p) => p.phase) ?? [];
  const name = (n: string) => (n.length > 34 ? `${n.slice(0, 33)}…` : n.padEnd(34));
  const head = `${''.padEnd(34)}  ${phases.map((p) => (SHORT[p] ?? p).padEnd(5)).join('')}`;
  const global = `global: ${s.global_phases.map((p) => `${SHORT[p.phase] ?? p.phase} ${MARK[p.status]}`).join('  ')}   ${s.progress.done}/${s.progress.total} phases (${s.progress.percent}%)`;
  const rows = s.portfolios.map((p) => `${name(p.portfolio_name)}  ${p.phases.map((x) => MARK[x.status].padEnd(5)).join('')}`);
  return [global, head, ...rows].join('\n');
}

/** One line for a finished portfolio (non-terminal output). */
export function renderPortfolioLine(p: BatchStatus['portfolios'][number]): string {
  const count = (st: string) => p.phases.filter((x) => x.status === st).length;
  return `${count('failed') ? '✗' : '✓'} ${p.portfolio_name}: ${count('succeeded')} ok, ${count('failed')} failed, ${count('skipped')} skipped`;
}

/** Final table: portfolio, phases ok/failed/skipped, time, warnings; then failures with their errors. */
export function renderFinalTable(s: BatchStatus): string {
  const rows = s.portfolios.map((p) => {
    const count = (st: string) => p.phases.filter((x) => x.status === st).length;
    const ms = p.phases.reduce((a, x) => a + (x.duration_ms ?? 0), 0);
    const warnings = p.phases.reduce((a, x) => a + x.warnings.length, 0);
    return [p.portfolio_name, count('succeeded'), count('failed'), count('skipped'), `${(ms / 1000).toFixed(2)} s`, warnings];
  });
  const failures = [...s.global_phases.map((x) => ({ who: 'global', x })), ...s.portfolios.flatMap((p) => p.phases.map((x) => ({ who: p.portfolio_name, x })))]
    .filter(({ x }) => x.status === 'failed')
    .map(({ who, x }) => `  ✗ ${who} / ${x.phase}: ${x.error}`);
  return [
    table(['portfolio', 'ok', 'failed', 'skipped', 'time', 'warnings'], rows),
    '',
    `run ${s.run_id} as of ${s.as_of}: ${s.status} in ${((s.duration_ms ?? 0) / 1000).toFixed(2)} s`,
    ...(s.warnings.length ? [`warnings: ${s.warnings.join('; ')}`] : []),
    ...failures,
  ].join('\n');
}
