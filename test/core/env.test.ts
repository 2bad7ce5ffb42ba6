import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../core/env.ts';

function errorLines(env: Record<string, string>): string[] {
  try {
    parseEnv(env);
  } catch (err) {
    if (err instanceof EnvError) return err.lines;
    throw err;
  }
  throw new Error('expected parseEnv to fail');
}

describe('environment', () => {
  it('applies documented defaults', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 8000, PGLITE_DIR: './.data/pglite', LOG_LEVEL: 'info', BATCH_CRON: '30 18 * * 1-5', BATCH_TIMEZONE: 'America/New_York' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ DATABASE_URL: '', PORT: '' }).PORT).toBe(8000);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ BATCH_TIMEZONE: 'Mars/Olympus' }, 'BATCH_TIMEZONE'],
    [{ AUTH_SECRET: 'short' }, 'AUTH_SECRET'],
    [{ NODE_ENV: 'production' }, 'AUTH_SECRET'],
    [{ BATCH_SCHEDULE_ENABLED: 'maybe' }, 'BATCH_SCHEDULE_ENABLED'],
  ])('names the bad variable for %j', (env, variable) => {
    const lines = errorLines(env);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid environment variable ${variable}: `));
  });

  it('never echoes a secret value', () => {
    const lines = errorLines({ AUTH_SECRET: 'hunter2-secret' });
    expect(lines.join('\n')).not.toContain('hunter2');
  });
});
