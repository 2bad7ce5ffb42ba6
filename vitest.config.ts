import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // builds the migrated and seeded databases every file copies (PGlite tarballs, Postgres templates)
    globalSetup: ['./test/global-setup.ts'],
    pool: 'forks',
    // a worker runs file after file with its module cache warm (no file changes process state: env comes from core/env.ts, memos are cleared where a test needs them cold)
    isolate: false,
    // vitest's default on a 2-core machine is one worker; the database files wait on I/O and child processes, so two keep both cores busy
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
