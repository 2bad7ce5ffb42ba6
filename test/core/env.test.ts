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
    expect(env).toMatchObject({ PORT: 8000, HOST: '0.0.0.0', PGLITE_DIR: './.data/pglite', LOG_LEVEL: 'info', SEED_ON_START: true, OPENAI_MODEL: 'gpt-4o-mini' });
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
    [{ SEED_ON_START: 'maybe' }, 'SEED_ON_START'],
    [{ OPENAI_BASE_URL: 'localhost:11434' }, 'OPENAI_BASE_URL'],
    [{ DATABASE_POOL_MAX: '0' }, 'DATABASE_POOL_MAX'],
  ])('names the bad variable for %j', (env, variable) => {
    const lines = errorLines(env);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid environment variable ${variable}: `));
  });

  it('never echoes the offending value', () => {
    const lines = errorLines({ DATABASE_URL: 'mysql://admin:hunter2@db/x' });
    expect(lines.join('\n')).not.toContain('hunter2');
  });
});
