/**
 * Writes a portfolio's report for one as_of under `<dir>/<portfolio-slug>-<first 8 of its id>/<as_of>/`:
 * portfolio_report.md, portfolio_report.json, portfolio_report.csv and the SVG charts (exposures by
 * factor, stress P&L, and, when stored, the VaR backtest, historical replays and risk contributions).
 * Files are written to a temporary name and renamed, so a reader never sees half a file. They are
 * written concurrently: in turn, each would wait for a file-system thread on its own, up to several
 * milliseconds apiece while the batch's Monte Carlo worker holds the other core.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../../db/client.ts';
import { barChartSvg } from './charts.ts';
import { renderCsv, renderJson } from './json-csv.ts';
import { renderMarkdown } from './markdown.ts';
import { analysesCharts } from './markdown-analyses.ts';
import { loadReportData, reportDirName, type ReportData } from './report-data.ts';

export interface RenderedReport {
  files: Record<string, string>;
}

/** Renders every file of a report in memory (the API/test mode). */
export function renderReport(d: ReportData): RenderedReport {
  const factorBars = d.factors.map((f) => ({ label: f.name, value: f.exposureDollar }));
  const stressBars = d.stress.map((s) => ({ label: s.name, value: s.correlatedPnl }));
  return {
    files: {
      'portfolio_report.md': renderMarkdown(d),
      'portfolio_report.json': `${JSON.stringify(renderJson(d), null, 2)}\n`,
      'portfolio_report.csv': renderCsv(d),
      'exposures-by-factor.svg': barChartSvg(`${d.portfolio.name}: dollar exposure by factor (${d.asOf})`, factorBars),
      'stress-pnl.svg': barChartSvg(`${d.portfolio.name}: stress P&L by scenario (${d.asOf})`, stressBars),
      ...analysesCharts(d.portfolio.name, d.asOf, d.analyses),
    },
  };
}

/** Loads, renders and writes a report; returns the directory and file names. */
export async function writeReport(db: Db, opts: { portfolioId: string; asOf: string; dir: string; now: Date }): Promise<{ dir: string; files: string[] }> {
  const data = await loadReportData(db, opts.portfolioId, opts.asOf, opts.now);
  const dir = join(opts.dir, reportDirName(data.portfolio.name, data.portfolio.id), opts.asOf);
  await mkdir(dir, { recursive: true });
  const { files } = renderReport(data);
  // Every write settles before a failure is reported, and a file that could not be put in place leaves no temporary behind.
  const written = await Promise.allSettled(Object.entries(files).map(async ([name, text]) => {
    const tmp = join(dir, `.${name}.${process.pid}.tmp`);
    try {
      await writeFile(tmp, text, 'utf8');
      await rename(tmp, join(dir, name));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }));
  const failed = written.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return { dir, files: Object.keys(files) };
}
