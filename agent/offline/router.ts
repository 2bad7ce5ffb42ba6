/**
 * The offline responder's router: maps a question to the MCP tools that answer it, by keyword
 * rules tried in order (the first match wins). No language model is involved; a question no rule
 * matches gets a clear "I don't understand".
 */

export type Intent =
  | 'run_batch'
  | 'batch_status'
  | 'data_quality'
  | 'greeks'
  | 'stress'
  | 'var'
  | 'correlations'
  | 'diversification'
  | 'factor_betas'
  | 'exposures'
  | 'positions'
  | 'portfolios'
  | 'overview';

interface Rule {
  intent: Intent;
  test: RegExp;
  tools: string[];
}

/** Ordered: batch commands before batch status, specific analytics before the generic overview. */
const RULES: Rule[] = [
  { intent: 'batch_status', test: /^(?=.*\b(batch|run|calculations?)\b)(?=.*\b(status|progress|finish(ed)?|done|complete(d)?|check|running)\b)/i, tools: ['get_batch_status'] },
  { intent: 'run_batch', test: /\b(run|start|kick ?off|trigger|launch|re-?run|refresh|re-?calculate|recompute|compute)\b.*\b(batch|calculations?|analytics|results)\b|\b(batch|calculations?)\b.*\b(now|please)\b.*\brun\b/i, tools: ['run_portfolio_batch'] },
  { intent: 'batch_status', test: /\bbatch\b|\b(last|latest)\s+(run|calculation)\b|\bresults?\s+(up to date|fresh|current)\b/i, tools: ['get_batch_status'] },
  { intent: 'data_quality', test: /\bdata[- ]quality\b|\b(missing|stale|gaps?\s+in)\s+(data|prices?)\b|\bprice (history|coverage)\b|\bhow (complete|good) is (the|my) data\b/i, tools: ['get_portfolio_data_quality'] },
  { intent: 'greeks', test: /\bgreeks?\b|\b(delta|gamma|theta|vega|rho)\b|\boptions?\s+(risk|exposure|sensitivit)/i, tools: ['get_option_greeks'] },
  { intent: 'stress', test: /\bstress\b|\bscenarios?\b|\b(market\s+)?crash\b|\bshock\b|\bwhat (happens|would happen) if\b|\bdownturn\b/i, tools: ['get_stress_test_results'] },
  { intent: 'var', test: /\bvar\b|\bvalue[- ]at[- ]risk\b|\bvolatility\b|\bdrawdown\b|\brisk metrics\b|\btail (risk|loss)\b|\bexpected shortfall\b|\bcvar\b/i, tools: ['get_risk_metrics'] },
  { intent: 'diversification', test: /\bdiversif/i, tools: ['get_diversification_score'] },
  { intent: 'correlations', test: /\bcorrelat|\bmove together\b/i, tools: ['get_correlation_matrix'] },
  { intent: 'factor_betas', test: /\bbetas?\b|\bfactors?\b|\bmarket sensitivity\b|\bsensitive to the market\b|\bmomentum\b|\bsize and value\b/i, tools: ['get_factor_exposures'] },
  { intent: 'exposures', test: /\bexposures?\b|\b(gross|net|long|short)\s+(exposure|book)\b|\bleverage\b|\bhow (long|short) am i\b/i, tools: ['get_analytics_overview'] },
  { intent: 'positions', test: /\b(positions?|holdings?)\b|\bwhat do i (own|hold)\b/i, tools: ['get_positions_details'] },
  { intent: 'portfolios', test: /\b(which|what|list)\b.*\bportfolios\b|\bmy portfolios\b/i, tools: ['list_user_portfolios'] },
  { intent: 'overview', test: /\boverview\b|\bsummary\b|\bsummari[sz]e\b|\bhow is my portfolio\b|\bhow('s| is) (my|the) (portfolio|book) doing\b|\b(total|portfolio) value\b|\bnav\b|\bp&l\b|\bpnl\b|\bperformance\b/i, tools: ['get_analytics_overview'] },
];

export interface Route {
  intent: Intent;
  tools: string[];
}

/** The tools that answer `question`, or null when no rule matches. */
export function routeQuestion(question: string): Route | null {
  const rule = RULES.find((r) => r.test.test(question));
  return rule ? { intent: rule.intent, tools: rule.tools } : null;
}

/** What the responder can answer, for its "I don't understand" reply. */
export const CAPABILITIES = [
  'a portfolio overview (value, exposures, P&L)',
  'factor betas (for example "what is my beta?")',
  'option Greeks',
  'stress test results',
  'VaR and volatility',
  'correlations and diversification',
  'data quality',
  'the status of the calculation batch, or "run the batch"',
];
