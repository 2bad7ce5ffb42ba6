import { describe, expect, it } from 'vitest';
import { answerFor, findMarketBeta, formatFigure, noAdvice, notUnderstood } from '../../agent/offline/answer.ts';
import { capabilities, classifyQuestion, routeQuestion } from '../../agent/offline/router.ts';

/** Phrasings of the common questions and the MCP tool that answers each (written by hand, not generated). */
const TABLE: Array<[string, string]> = [
  ["What is my portfolio's beta?", 'get_factor_exposures'],
  ['how sensitive am I to the market? show my factor betas', 'get_factor_exposures'],
  ['Show me the factor exposures', 'get_factor_exposures'],
  ['Give me an overview of my portfolio', 'get_analytics_overview'],
  ["How's my portfolio doing?", 'get_analytics_overview'],
  ['What is my gross and net exposure?', 'get_analytics_overview'],
  ['how much leverage do I have', 'get_analytics_overview'],
  ['What are my option Greeks?', 'get_option_greeks'],
  ['what is the delta of my options book', 'get_option_greeks'],
  ['How much theta am I paying per day?', 'get_option_greeks'],
  ['Show the stress test results', 'get_stress_test_results'],
  ['What happens if the market crashes 20%?', 'get_stress_test_results'],
  ['which scenario hurts me most', 'get_stress_test_results'],
  ['What is my VaR?', 'get_risk_metrics'],
  ['value at risk at 99%?', 'get_risk_metrics'],
  ['How volatile is the portfolio? volatility please', 'get_risk_metrics'],
  ['what was the max drawdown', 'get_risk_metrics'],
  ['Show me the correlation matrix', 'get_correlation_matrix'],
  ['which of my holdings are most correlated', 'get_correlation_matrix'],
  ['How diversified am I?', 'get_diversification_score'],
  ['How is the data quality?', 'get_portfolio_data_quality'],
  ['are there missing prices or stale data', 'get_portfolio_data_quality'],
  ['What is the batch status?', 'get_batch_status'],
  ['did the last run finish? check the batch', 'get_batch_status'],
  ['Run the batch', 'run_portfolio_batch'],
  ['please recalculate my analytics', 'run_portfolio_batch'],
  ['start the batch now', 'run_portfolio_batch'],
  ['Did my VaR hold up?', 'get_var_backtest'],
  ['How many VaR exceptions did I have?', 'get_var_backtest'],
  ['show the kupiec test', 'get_var_backtest'],
  ['What is my VaR right now?', 'get_risk_metrics'],
  ['How would my portfolio hold up in a crash?', 'get_stress_test_results'],
  ['What if March 2020 happened again?', 'get_historical_replays'],
  ['replay the regional banks crisis on my book', 'get_historical_replays'],
  ['Show the COVID stress scenario', 'get_stress_test_results'],
  ['What drives my risk?', 'get_risk_contributions'],
  ['which positions hedge my risk', 'get_risk_contributions'],
  ['Run a Monte Carlo VaR', 'get_monte_carlo_var'],
  ['How did I do against my benchmark?', 'get_performance'],
  ['what is my tracking error', 'get_performance'],
];

describe('offline router', () => {
  it.each(TABLE)('routes %j to %s', (question, tool) => {
    expect(routeQuestion(question)?.tools).toEqual([tool]);
  });

  it.each(['Tell me a joke', 'what is the capital of France', 'asdf qwer', "what's the weather", 'qzx 77 ##', ''])('does not pretend to understand %j', (q) => {
    expect(routeQuestion(q)).toBeNull();
    expect(classifyQuestion(q)).toEqual({ decline: 'not_understood' });
    expect(notUnderstood(q)).toMatch(/^I don't understand/);
  });

  it.each([
    'what should I sell?',
    'Should I buy TSLA?',
    'which stock will go up?',
    'Should I sell my positions?',
    'which of my holdings should I dump',
    'Should I buy more SPY options to hedge my delta?',
    'will the market go up tomorrow',
    'Is NVDA a good buy?',
    'is it a good time to buy',
    'buy or sell AAPL?',
    'what do you recommend?',
    'Should I buy a house?',
    'what are the best stocks to buy',
  ])('declines %j as investment advice, even when it names something it could report', (q) => {
    expect(classifyQuestion(q)).toEqual({ decline: 'advice' });
    expect(routeQuestion(q)).toBeNull();
  });

  it.each([
    'which of my positions lose most in a market crash?',
    'how will my portfolio do if the market falls 10%? show the stress test',
    'what would happen if rates go up',
    'which of my holdings move together',
    'how long am i',
  ])('still answers %j (no false advice decline)', (q) => {
    expect('route' in classifyQuestion(q)).toBe(true);
  });
});

describe('what the responder says it can answer', () => {
  it('comes from the intent table: every example routes to its own intent and tools', () => {
    for (const c of capabilities()) expect(routeQuestion(c.example), c.example).toEqual({ intent: c.intent, tools: c.tools });
  });

  it('covers every tool the hand-written routing table reaches, and the headline intents', () => {
    const listed = capabilities();
    const tools = new Set(listed.flatMap((c) => c.tools));
    for (const [, tool] of TABLE) expect(tools.has(tool), tool).toBe(true);
    expect(listed.map((c) => c.intent)).toEqual(expect.arrayContaining(['overview', 'exposures', 'greeks', 'factor_betas', 'stress', 'var', 'correlations', 'batch_status']));
  });

  it('lists only intents whose tools the server offers', () => {
    expect(capabilities(new Set(['get_analytics_overview', 'get_risk_metrics'])).map((c) => c.intent)).toEqual(['overview', 'exposures', 'var']);
  });

  it('both declines say plainly why and list the capabilities', () => {
    const caps = capabilities(new Set(['get_option_greeks']));
    const advice = noAdvice(caps);
    expect(advice).toMatch(/^I can't help with that: I don't give investment advice/);
    expect(advice).toContain('- option Greeks: delta, gamma, theta, vega and rho, for example "What are my option Greeks?"');
    expect(advice.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(1);
    const unknown = notUnderstood("what's the weather", caps);
    expect(unknown).toMatch(/^I don't understand "what's the weather"\. Without a language model I can only answer questions about your portfolio\. You can ask about:\n- option Greeks/);
    expect(unknown).not.toMatch(/investment advice/);
  });
});

describe('offline answers', () => {
  it('names the market beta from a factor table, with its as-of date', () => {
    const data = { as_of: '2026-07-13', factors: [{ factor: 'Value', beta: 0.2 }, { factor: 'Market', beta: 1.234 }], truncated: false };
    expect(findMarketBeta(data)).toBe(1.234);
    const text = answerFor('factor_betas', { name: 'get_factor_exposures', ok: true, summary: 'Factor betas as of 2026-07-13.', data, error: null });
    expect(text).toContain("The portfolio's market beta is 1.23 (stored results as of 2026-07-13).");
  });

  it('says when results are not computed yet, from an error or from an empty result', () => {
    const failed = answerFor('factor_betas', { name: 'get_factor_exposures', ok: false, summary: '', data: null, error: 'NOT_FOUND: no factor exposures stored for this portfolio. Hint: run the batch.' });
    expect(failed).toMatch(/not computed yet.*run the batch/s);
    const empty = answerFor('var', { name: 'get_risk_metrics', ok: true, summary: 'No stored risk metrics.', data: { as_of: null, metrics: [] }, error: null });
    expect(empty).toMatch(/not computed yet/);
  });

  it('prints only figures present in the result, formatted by unit', () => {
    const text = answerFor('overview', { name: 'get_analytics_overview', ok: true, summary: 'Overview.', data: { as_of: '2026-07-13', gross_exposure: 1234567.8, net_exposure: -2000, position_count: 16 }, error: null });
    expect(text).toContain('- gross exposure: $1,234,568');
    expect(text).toContain('- net exposure: -$2,000');
    expect(text).toContain('- position count: 16');
  });
});

describe('offline answers on the analytics contracts', () => {
  it('reads the Market Beta row of get_factor_exposures and the nested overview figures', () => {
    const factors = { available: true, as_of: '2026-07-13', factors: [{ name: 'Market Beta', beta: 0.874, exposure_dollar: 500000, coverage_pct: 99.1, model: 'market' }] };
    expect(answerFor('factor_betas', { name: 'get_factor_exposures', ok: true, summary: '', data: factors, error: null })).toContain("The portfolio's market beta is 0.87 (stored results as of 2026-07-13).");
    const overview = { available: true, as_of: '2026-07-13', total_value: 600000, exposures: { gross_exposure: 610000, long_percentage: 101.2 } };
    const text = answerFor('overview', { name: 'get_analytics_overview', ok: true, summary: '', data: overview, error: null });
    expect(text).toContain('- total value: $600,000');
    expect(text).toContain('- gross exposure: $610,000');
    expect(text).toContain('- long percentage: 101.2%');
  });

  it('says results are not computed when the tool answers available: false', () => {
    const text = answerFor('factor_betas', { name: 'get_factor_exposures', ok: true, summary: '', data: { available: false, as_of: null, factors: [] }, error: null });
    expect(text).toMatch(/not computed yet.*run the batch/s);
  });
});

describe('figure formatting by key', () => {
  it.each([
    ['max_drawdown', -0.097, '-9.70%'],
    ['annualized_volatility', 0.1222, '12.22%'],
    ['dollar_gamma_1pct', 1234.4, '$1,234'],
    ['rho_dollars_per_pct', -50, '-$50'],
    ['var_95_1d', 7442.2, '$7,442'],
    ['long_percentage', 103.1, '103.1%'],
    ['coverage_pct', 99.14, '99.1%'],
    ['portfolio_beta', 0.9243, '0.924'],
    ['option_count', 3, '3'],
  ])('%s = %d → %s', (key, v, text) => {
    expect(formatFigure(key, v)).toBe(text);
  });
});
