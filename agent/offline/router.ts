/**
 * The offline responder's router. `INTENTS` is its table of what it answers: each intent's MCP
 * tools and a line for the user with an example question. Keyword rules map a question to an
 * intent, tried in order (the first match wins). A request for investment advice (what to buy or
 * sell, which stock will rise) is declined before any rule is tried, and a question no rule
 * matches is declined as not understood; both declines list `capabilities()`, read from the table.
 */

import { TRADE_COMMAND } from './trade.ts';

export type Intent =
  | 'trade'
  | 'overview'
  | 'exposures'
  | 'positions'
  | 'portfolios'
  | 'factor_betas'
  | 'greeks'
  | 'stress'
  | 'var'
  | 'var_backtest'
  | 'replays'
  | 'contributions'
  | 'monte_carlo'
  | 'performance'
  | 'correlations'
  | 'diversification'
  | 'data_quality'
  | 'batch_status'
  | 'run_batch';

interface IntentInfo {
  tools: string[];
  /** What the user can ask, for the list in a decline. */
  describe: string;
  /** A question this intent answers (a test checks it routes here). */
  example: string;
}

/** In the order the decline lists them. */
const INTENTS: Record<Intent, IntentInfo> = {
  overview: { tools: ['get_analytics_overview'], describe: 'a portfolio overview: value, exposures and P&L', example: 'Give me an overview' },
  exposures: { tools: ['get_analytics_overview'], describe: 'gross, net, long and short exposure and leverage', example: 'What is my net exposure?' },
  positions: { tools: ['get_positions_details'], describe: 'your positions with cost basis, value and unrealised P&L', example: 'What do I hold?' },
  portfolios: { tools: ['list_user_portfolios'], describe: 'the list of your portfolios', example: 'Which portfolios do I have?' },
  factor_betas: { tools: ['get_factor_exposures'], describe: 'factor betas, including the market beta', example: 'What is my beta?' },
  greeks: { tools: ['get_option_greeks'], describe: 'option Greeks: delta, gamma, theta, vega and rho', example: 'What are my option Greeks?' },
  stress: { tools: ['get_stress_test_results'], describe: 'stress test results', example: 'What happens if the market crashes?' },
  var: { tools: ['get_risk_metrics'], describe: 'VaR, volatility and drawdown', example: 'What is my VaR?' },
  var_backtest: { tools: ['get_var_backtest'], describe: 'how the VaR held up: a 250-day backtest with Kupiec, Christoffersen and the Basel zone', example: 'Did my VaR hold up?' },
  replays: { tools: ['get_historical_replays'], describe: 'real market windows (Covid crash, 2022, regional banks, carry unwind, tariff shock) replayed on your holdings', example: 'What if March 2020 happened again?' },
  contributions: { tools: ['get_risk_contributions'], describe: 'what drives your risk: contributions per position, underlying and factor', example: 'What drives my risk?' },
  monte_carlo: { tools: ['get_monte_carlo_var'], describe: 'Monte Carlo VaR and CVaR with options repriced', example: 'Run a Monte Carlo VaR' },
  performance: { tools: ['get_performance'], describe: 'performance against your benchmark: return, alpha, beta, tracking error', example: 'How did I do against my benchmark?' },
  correlations: { tools: ['get_correlation_matrix'], describe: 'correlations between your holdings', example: 'Show the correlation matrix' },
  diversification: { tools: ['get_diversification_score'], describe: 'the diversification score', example: 'How diversified am I?' },
  data_quality: { tools: ['get_portfolio_data_quality'], describe: 'data quality: missing or stale prices', example: 'How is the data quality?' },
  batch_status: { tools: ['get_batch_status'], describe: 'the status of the calculation batch', example: 'Is the batch done?' },
  run_batch: { tools: ['run_portfolio_batch'], describe: 'running the calculation batch', example: 'Run the batch' },
  trade: { tools: ['list_positions', 'add_position', 'update_position', 'close_position'], describe: 'changes to your book, made only after you approve them: add, sell or close a position', example: 'Add 10 AAPL at 190' },
};

interface Rule {
  intent: Intent;
  test: RegExp;
}

/** Ordered: book changes first (a whole-message command), batch commands before batch status, specific analytics before the generic overview. */
const RULES: Rule[] = [
  { intent: 'trade', test: TRADE_COMMAND },
  { intent: 'batch_status', test: /^(?=.*\b(batch|run|calculations?)\b)(?=.*\b(status|progress|finish(ed)?|done|complete(d)?|check|running)\b)/i },
  { intent: 'run_batch', test: /\b(run|start|kick ?off|trigger|launch|re-?run|refresh|re-?calculate|recompute|compute)\b.*\b(batch|calculations?|analytics|results)\b|\b(batch|calculations?)\b.*\b(now|please)\b.*\brun\b/i },
  { intent: 'batch_status', test: /\bbatch\b|\b(last|latest)\s+(run|calculation)\b|\bresults?\s+(up to date|fresh|current)\b/i },
  { intent: 'data_quality', test: /\bdata[- ]quality\b|\b(missing|stale|gaps?\s+in)\s+(data|prices?)\b|\bprice (history|coverage)\b|\bhow (complete|good) is (the|my) data\b/i },
  { intent: 'greeks', test: /\bgreeks?\b|\b(delta|gamma|theta|vega|rho)\b|\boptions?\s+(risk|exposure|sensitivit)/i },
  { intent: 'var_backtest', test: /\bback-?test|\b(var|value[- ]at[- ]risk)\b.*\b(h(eld|olds?|olding) up|exceptions?|breach(es)?|accura\w*|reliab\w*|work(ed|s|ing)?|right(?! now))\b|\bkupiec\b|\bchristoffersen\b|\btraffic[- ]light\b/i },
  // A question naming the stress tests goes to the catalogue (its crisis scenarios are hypothetical shocks), not to the data-driven replays.
  { intent: 'replays', test: /^(?!.*\bstress\b).*(\breplay|\bhappened again\b|\b(march|spring) 2020\b|\bcovid\b|\b2022\b|\bregional banks?\b|\bcarry (trade )?unwind\b|\btariff)/i },
  { intent: 'contributions', test: /\bdrives? (my |the )?risk\b|\brisk contribut|\bcontribut\w* (to|of) (my |the )?risk\b|\bwhere (does|is) my risk\b|\beuler\b|\bwhich positions? (add|adds|hedge|hedges|contribute)\b|\brisk budget/i },
  { intent: 'monte_carlo', test: /\bmonte[- ]?carlo\b|\bsimulat\w* (var|loss|risk)|\bsimulated\b/i },
  { intent: 'performance', test: /\bbenchmark\b|\balpha\b|\btracking error\b|\binformation ratio\b|\b(up|down)[- ]?(side )?capture\b|\btime[- ]weighted\b|\btwr\b|\bperformance\b/i },
  { intent: 'stress', test: /\bstress\b|\bscenarios?\b|\b(market\s+)?crash\b|\bshock\b|\bwhat (happens|would happen) if\b|\bdownturn\b/i },
  { intent: 'var', test: /\bvar\b|\bvalue[- ]at[- ]risk\b|\bvolatility\b|\bdrawdown\b|\brisk metrics\b|\btail (risk|loss)\b|\bexpected shortfall\b|\bcvar\b/i },
  { intent: 'diversification', test: /\bdiversif/i },
  { intent: 'correlations', test: /\bcorrelat|\bmove together\b/i },
  { intent: 'factor_betas', test: /\bbetas?\b|\bfactors?\b|\bmarket sensitivity\b|\bsensitive to the market\b|\bmomentum\b|\bsize and value\b/i },
  { intent: 'exposures', test: /\bexposures?\b|\b(gross|net|long|short)\s+(exposure|book)\b|\bleverage\b|\bhow (long|short) am i\b/i },
  { intent: 'positions', test: /\b(positions?|holdings?)\b|\bwhat do i (own|hold)\b/i },
  { intent: 'portfolios', test: /\b(which|what|list)\b.*\bportfolios\b|\bmy portfolios\b/i },
  { intent: 'overview', test: /\boverview\b|\bsummary\b|\bsummari[sz]e\b|\bhow is my portfolio\b|\bhow('s| is) (my|the) (portfolio|book) doing\b|\b(total|portfolio) value\b|\bnav\b|\bp&l\b|\bpnl\b|\bperformance\b/i },
];

const TRADE = String.raw`(buy|sell|short|hold|keep|dump|trim|add|invest|exit|close|cut|hedge|rebalance|reduce|increase|get (in|out)|take profits?|trade|own)`;
const MOVE = String.raw`(go up|go down|rise|rally|climb|jump|gain|outperform|underperform|beat the market|fall|drop|tank|crash|moon|double|recover|bounce)`;

/** Requests for investment advice: what to trade, whether to, which asset will move, price forecasts. */
const ADVICE: RegExp[] = [
  new RegExp(String.raw`\bshould (i|we)\b[^?.!]*\b${TRADE}\b`, 'i'),
  new RegExp(String.raw`\b(what|which)\b[^?.!]*\b(should (i|we)|would you|do you recommend)\b[^?.!]*\b${TRADE}\b`, 'i'),
  new RegExp(String.raw`\b(will|going to|gonna|likely to)\s+(\S+\s+){0,3}?${MOVE}\b`, 'i'),
  /\b(recommend(ation)?s?|advi[cs]e|stock tips?|price targets?|predict(ion)?s?)\b/i,
  /\b(good|bad|right|best) (time|moment|idea) to (buy|sell|invest|short|get in|get out)\b/i,
  /\b(is|are)\s+(\S+\s+){1,3}?a (good|bad|great|smart|safe) (buy|investment|stock|bet)\b/i,
  /\bbuy or sell\b|\bsell or (hold|buy|keep)\b|\b(hold|keep) or sell\b|\bworth (buying|selling|investing)\b/i,
  /\b(best|top) (stocks?|shares|etfs?|funds?|investments?|options?) to (buy|own|hold)\b|\bwhere (should|do) i invest\b/i,
];

export interface Route {
  intent: Intent;
  tools: string[];
}

export type Decline = 'advice' | 'not_understood';

export type Classified = { route: Route } | { decline: Decline };

/** What to do with `question`: the intent and tools that answer it, or why it is declined. */
export function classifyQuestion(question: string): Classified {
  if (ADVICE.some((re) => re.test(question))) return { decline: 'advice' };
  const rule = RULES.find((r) => r.test.test(question));
  return rule ? { route: { intent: rule.intent, tools: INTENTS[rule.intent].tools } } : { decline: 'not_understood' };
}

/** The tools that answer `question`, or null when it is declined. */
export function routeQuestion(question: string): Route | null {
  const c = classifyQuestion(question);
  return 'route' in c ? c.route : null;
}

export interface Capability {
  intent: Intent;
  tools: string[];
  describe: string;
  example: string;
}

/** What the responder can answer, from the intent table; with `offered`, only intents whose tools the server offers. */
export function capabilities(offered?: ReadonlySet<string>): Capability[] {
  return (Object.entries(INTENTS) as Array<[Intent, IntentInfo]>)
    .filter(([, info]) => !offered || info.tools.every((t) => offered.has(t)))
    .map(([intent, info]) => ({ intent, ...info }));
}
