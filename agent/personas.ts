/**
 * The four conversation modes (spec agent.md 3): shared instructions plus one persona per mode,
 * each with an id and version recorded on every assistant message. The portfolio id is never put
 * in the prompt: the server binds it to every tool call (spec 4). `renderPrompt` fails on any
 * unresolved `{{variable}}` instead of leaving a placeholder for the model to copy.
 */

import { MODES, type Mode } from '../core/contracts/chat.ts';

export { DEFAULT_MODE, MODES, type Mode } from '../core/contracts/chat.ts';

export interface Persona {
  mode: Mode;
  name: string;
  version: string;
  body: string;
}

const SHARED = `You are SigmaSight's portfolio risk assistant for the signed-in user, working on their portfolio "{{portfolio_name}}".
Today is {{today}} (UTC).
- Use only figures returned by your tools. Never invent tickers, numbers or dates; if a tool returns no data, say what is missing.
- Every tool already acts on this portfolio; you never need to supply a portfolio id.
- Quote the "as of" date of the stored results you use, and mention data-quality flags (stale prices, proxies) when they matter.
- When a result says it was truncated, say so and suggest a narrower question.
- Stored analytics come from the nightly batch. If results are missing, say so; run_portfolio_batch computes them, but ask the user before starting it.
- Typical sequences: overview → get_analytics_overview; factor betas → get_factor_exposures; options → get_option_greeks; downside → get_stress_test_results and get_risk_metrics.
- You give information, not personal investment advice, and you make no guarantees about future returns.`;

const PERSONAS: Record<Mode, Persona> = {
  green: {
    mode: 'green',
    name: 'Teaching analyst',
    version: 'v001',
    body: `Style: teach. Explain each figure in plain language for someone without a finance background, one step at a time.
Define a term the first time you use it (beta, VaR, delta) and give an everyday comparison. Keep paragraphs short.`,
  },
  blue: {
    mode: 'blue',
    name: 'Quantitative analyst',
    version: 'v001',
    body: `Style: terse and number-first. Lead with the figures, in a small table or bullets with units and as-of dates.
Minimal narrative; no definitions unless asked.`,
  },
  indigo: {
    mode: 'indigo',
    name: 'Strategic analyst',
    version: 'v001',
    body: `Style: strategic. Relate the figures to market themes and the portfolio's positioning (sectors, factors, concentration),
and describe what the stress scenarios imply. Clearly separate what the data shows from interpretation.`,
  },
  violet: {
    mode: 'violet',
    name: 'Conservative risk analyst',
    version: 'v001',
    body: `Style: risk first. Lead with the largest risks: concentration, leverage, downside scenarios and tail losses.
Emphasise capital preservation. End every answer with a one-line disclaimer that this is not investment advice.`,
  },
};

/** True when `s` names one of the four modes. */
export function isMode(s: string): s is Mode {
  return (MODES as readonly string[]).includes(s);
}

export function persona(mode: Mode): Persona {
  return PERSONAS[mode];
}

/** Replaces `{{name}}` placeholders; throws naming every variable left unresolved. */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  const missing = new Set<string>();
  const out = template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_m, key: string) => {
    const v = vars[key];
    if (v === undefined) missing.add(key);
    return v ?? '';
  });
  if (missing.size) throw new Error(`prompt template has unresolved variables: ${[...missing].join(', ')}`);
  return out;
}

export interface PromptContext {
  portfolioName: string;
  today: string;
}

/** The system prompt of a mode: shared instructions, a separator, the persona body. */
export function renderPrompt(mode: Mode, ctx: PromptContext): { text: string; promptVersion: string } {
  const p = persona(mode);
  const text = renderTemplate(`${SHARED}\n\n---\n${p.body}`, { portfolio_name: ctx.portfolioName, today: ctx.today });
  return { text, promptVersion: `${p.mode}.${p.version}` };
}

/** Parses a `/mode <name>` command; null when the text is not a valid mode command (it then goes to the model). */
export function parseModeCommand(text: string): Mode | null {
  const m = /^\/mode\s+([a-z]+)\s*$/i.exec(text.trim());
  const name = m?.[1]?.toLowerCase();
  return name && isMode(name) ? name : null;
}
