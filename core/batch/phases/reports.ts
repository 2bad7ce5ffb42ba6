/** Reports phase (reports.md): writes the Markdown, JSON, CSV and SVG report from the stored results. */
import { writeReport } from '../../reports/write-report.ts';
import type { PortfolioPhase } from '../types.ts';

export const reportsPhase: PortfolioPhase = async (tx, run, state, deps) => {
  const out = await writeReport(tx, { portfolioId: state.id, asOf: run.asOf, dir: run.reportsDir, now: deps.clock() });
  return { rows: 0, metrics: { dir: out.dir, files: out.files.length } };
};
