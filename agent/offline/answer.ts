/**
 * Templated answers of the offline responder, written from the tools' own results: the tool's
 * one-line summary, the headline figure for the question (the market beta for a beta question),
 * the as-of date, up to eight top-level figures, and a plain note when results are not computed
 * yet or a tool failed. Only numbers present in the results are ever printed.
 */
import type { ToolReply } from './reply.ts';
import { capabilities, type Capability, type Intent } from './router.ts';

export const OFFLINE_NOTICE = 'I am running without a language model (no OPENAI_API_KEY or OPENAI_BASE_URL is configured), so I answer common questions with fixed templates from the portfolio tools.';

export type { ToolReply } from './reply.ts';

const NOT_COMPUTED = /no (stored )?(results|exposures|betas|data)|not (yet )?(been )?(computed|calculated|available)|has not run|never run|run the batch/i;
const KEY_FIGURES = 8;

/** Formats a figure by its key: dollars for values, P&L and dollar Greeks; `…_pct`/`…percentage` as percent; weights, returns, volatility and drawdown (fractions) as percent. */
export function formatFigure(key: string, v: number): string {
  if (/(dollar|usd|value|exposure|pnl|nav|cash|notional|var_|loss)/i.test(key) && !/(ratio|beta|score|count|percentage)/i.test(key)) {
    return `${v < 0 ? '-' : ''}$${Math.abs(v).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
  }
  if (/(pct|percent)/i.test(key)) return `${v.toFixed(1)}%`;
  if (/(weight|return|vol|drawdown)/i.test(key) && Math.abs(v) <= 5) return `${(v * 100).toFixed(2)}%`;
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 10 ? 3 : 2);
}

const humanise = (key: string) => key.replace(/_/g, ' ');

function asOf(data: Record<string, unknown>): string | null {
  for (const k of ['as_of', 'as_of_date', 'calculation_date', 'latest_results_as_of', 'priced_as_of']) {
    if (typeof data[k] === 'string') return data[k];
  }
  return null;
}

/** The portfolio's market beta in a factor or risk result, wherever the tool puts it. */
export function findMarketBeta(data: unknown, depth = 0): number | null {
  if (depth > 4 || !data || typeof data !== 'object') return null;
  if (Array.isArray(data)) {
    for (const row of data) {
      if (row && typeof row === 'object') {
        const r = row as Record<string, unknown>;
        const label = String(r['factor'] ?? r['factor_name'] ?? r['name'] ?? '');
        const beta = r['beta'] ?? r['portfolio_beta'] ?? r['exposure'];
        if (/^market( beta)?$/i.test(label) && typeof beta === 'number') return beta;
      }
    }
    return null;
  }
  const obj = data as Record<string, unknown>;
  for (const k of ['market_beta', 'portfolio_beta', 'beta']) if (typeof obj[k] === 'number') return obj[k];
  for (const v of Object.values(obj)) {
    const found = findMarketBeta(v, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** Top-level numbers, then the numbers of nested objects one level down (e.g. `exposures.gross_exposure`). */
function figures(data: Record<string, unknown>): string[] {
  const numeric = (o: Record<string, unknown>) => Object.entries(o).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]) && e[0] !== 'count');
  const nested = Object.values(data).filter((v): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v));
  return [...numeric(data), ...nested.flatMap(numeric)]
    .slice(0, KEY_FIGURES)
    .map(([k, v]) => `- ${humanise(k)}: ${formatFigure(k, v)}`);
}

function isEmpty(data: Record<string, unknown>): boolean {
  const arrays = Object.values(data).filter(Array.isArray);
  return data['available'] === false || (arrays.length > 0 && arrays.every((a) => a.length === 0) && asOf(data) === null);
}

/** The paragraph for one tool reply. */
export function answerFor(intent: Intent, reply: ToolReply): string {
  if (!reply.ok) {
    const code = /^([A-Z_]+):/.exec(reply.error ?? '')?.[1];
    const missing = code === 'NOT_FOUND' || code === 'UNPROCESSABLE' || NOT_COMPUTED.test(reply.error ?? '');
    return missing
      ? `The results for this are not computed yet (${reply.name} said: ${reply.error}). Say "run the batch" to compute them.`
      : `${reply.name} failed: ${reply.error}`;
  }
  const data = reply.data ?? {};
  const lines: string[] = [];
  const date = asOf(data);
  if (intent === 'factor_betas') {
    const beta = findMarketBeta(data);
    if (beta !== null) lines.push(`The portfolio's market beta is ${beta.toFixed(2)}${date ? ` (stored results as of ${date})` : ''}.`);
  }
  if (reply.summary) lines.push(reply.summary);
  if (isEmpty(data) || NOT_COMPUTED.test(reply.summary)) {
    lines.push('These results are not computed yet for this portfolio. Say "run the batch" to compute them.');
    return lines.join('\n');
  }
  const figs = figures(data);
  if (figs.length) lines.push(['Key figures:', ...figs].join('\n'));
  if (data['truncated'] === true) lines.push('The result was shortened to fit; ask about fewer items for the rest.');
  if (date && !lines.some((l) => l.includes(date))) lines.push(`As of ${date}.`);
  return lines.join('\n\n');
}

const listOf = (caps: Capability[]) => caps.map((c) => `- ${c.describe}, for example "${c.example}"`);

/** The decline for a question no rule matches: says so plainly and lists what can be asked. */
export function notUnderstood(question: string, caps: Capability[] = capabilities()): string {
  return [`I don't understand "${question.slice(0, 120)}". Without a language model I can only answer questions about your portfolio. You can ask about:`, ...listOf(caps)].join('\n');
}

/** The decline for a request for investment advice: no advice, and what can be asked instead. */
export function noAdvice(caps: Capability[] = capabilities()): string {
  return [
    "I can't help with that: I don't give investment advice, so I won't say what to buy, sell or hold, or predict which investments will rise or fall. I can report your portfolio's figures. You can ask about:",
    ...listOf(caps),
  ].join('\n');
}

export function toolMissing(tools: string[]): string {
  return `This server does not offer the tool${tools.length > 1 ? 's' : ''} needed for that (${tools.join(', ')}), so I cannot answer it yet.`;
}
