/** The latest report of a portfolio, rendered from its stored results (Markdown), for the caller only. */
import { latestAsOf } from '../../db/queries/results.ts';
import { portfolioExposures } from '../../db/schema/index.ts';
import { renderMarkdown } from '../reports/markdown.ts';
import { loadReportData } from '../reports/report-data.ts';
import { requireOwnedPortfolio, type Principal, type ServiceDeps } from './context.ts';

export async function latestReportMarkdown(deps: ServiceDeps, principal: Principal, portfolioId: string): Promise<string> {
  const p = await requireOwnedPortfolio(deps.db, principal, portfolioId);
  const now = deps.clock();
  const latest = await latestAsOf(deps.db, portfolioExposures, p.id, now.toISOString().slice(0, 10));
  if (!latest) return `# ${p.name}\n\nNo batch results yet: call the run_portfolio_batch tool (or run \`npm run batch\`) to compute them.\n`;
  return renderMarkdown(await loadReportData(deps.db, p.id, latest.asOf, now));
}
