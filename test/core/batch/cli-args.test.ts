/** `npm run batch` rejects bad arguments with a message and exit status 2, before touching a database. */
import { describe, expect, it } from 'vitest';
import { runTs } from '../../helpers/run.ts';

describe('batch command arguments', () => {
  it.each([
    [['--date', '2026-13-01'], '--date must be a date YYYY-MM-DD'],
    [['--portfolio', 'abc'], '--portfolio must be a portfolio id'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--skip-batch', '--skip-reports'], 'leave nothing to do'],
  ])('%j → exit 2 with a message', (args, message) => {
    const r = runTs('scripts/batch.ts', args, { PGLITE_DIR: '/nonexistent/never-created' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('usage: npm run batch');
  }, 60_000);
});
