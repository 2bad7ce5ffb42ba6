import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../../core/env.ts';

function errorLines(env: Record<string, string>): string[] {
  try {
    parseEnv(env);
  } catch (err) {
    if (err instanceof EnvError) return err.lines;
    throw err;
  }
  throw new Error('expected parseEnv to fail');
}

describe('batch environment', () => {
  it('defaults to weekdays 18:30 New York, scheduled, in-process, first-start run on', () => {
    expect(parseEnv({})).toMatchObject({
      BATCH_SCHEDULE: true, BATCH_CRON: '30 18 * * 1-5', BATCH_TIMEZONE: 'America/New_York', BATCH_ON_START: true,
      BATCH_QUEUE: false, BATCH_CONCURRENCY: 2, BATCH_STALE_AFTER_S: 120, WORKER_CONCURRENCY: 2, REPORTS_DIR: './reports',
    });
    expect(parseEnv({ BATCH_SCHEDULE: 'off', BATCH_CRON: '0 2 * * 0', BATCH_TIMEZONE: 'Europe/Zurich' })).toMatchObject({ BATCH_SCHEDULE: false, BATCH_CRON: '0 2 * * 0', BATCH_TIMEZONE: 'Europe/Zurich' });
  });

  it.each([
    [{ BATCH_CRON: 'every night' }, 'BATCH_CRON'],
    [{ BATCH_CRON: '61 18 * * *' }, 'BATCH_CRON'],
    [{ BATCH_TIMEZONE: 'Mars/Olympus' }, 'BATCH_TIMEZONE'],
    [{ BATCH_SCHEDULE: 'sometimes' }, 'BATCH_SCHEDULE'],
    [{ BATCH_QUEUE: 'on' }, 'BATCH_QUEUE'],
    [{ WORKER_CONCURRENCY: '0' }, 'WORKER_CONCURRENCY'],
    [{ BATCH_STALE_AFTER_S: '1' }, 'BATCH_STALE_AFTER_S'],
  ])('names the bad variable for %j', (env, variable) => {
    const lines = errorLines(env);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid environment variable ${variable}: `));
  });

  it('accepts the queue with a Postgres URL', () => {
    expect(parseEnv({ BATCH_QUEUE: 'on', DATABASE_URL: 'postgres://u@localhost:5432/db' }).BATCH_QUEUE).toBe(true);
  });
});
