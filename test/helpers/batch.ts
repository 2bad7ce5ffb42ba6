/** Test helpers for the batch: a seeded database with bundled prices and batch deps over it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../core/logger.ts';
import { createInlineRunner } from '../../core/batch/runner.ts';
import type { BatchServiceDeps } from '../../core/batch/service.ts';
import type { BatchDeps } from '../../core/batch/types.ts';
import { createTestDb, type DbKind, type TestDb } from './db.ts';

export const DEMO_AS_OF = '2026-07-13';
/** A clock on the day after the bundled data ends (noon UTC = 08:00 New York). */
export const TEST_NOW = new Date('2026-07-14T12:00:00Z');
export const DEMO_PORTFOLIOS = ['1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe', 'e23ab931-a033-edfe-ed4f-9d02474780b4', 'fcd71196-e93e-f000-5a74-31a9eead3118'];

/** A directory of this test file's own for the reports of the runs it starts (never the checkout's ./reports). */
let reportsRoot: string | undefined;
export const testReportsDir = (): string => (reportsRoot ??= mkdtempSync(join(tmpdir(), 'sigmasight-test-reports-')));

/** A migrated database with the demo book and the bundled market data. */
export async function seededDb(kind: DbKind): Promise<TestDb> {
  return createTestDb(kind, { seeded: true });
}

export function batchDeps(db: TestDb, extra: Partial<BatchDeps> = {}): BatchServiceDeps {
  const deps: BatchDeps = {
    db: db.db, log: createLogger({ level: 'silent' }), clock: () => TEST_NOW,
    reportsDir: mkdtempSync(join(tmpdir(), 'sigmasight-reports-')), ...extra,
  };
  return { ...deps, runner: createInlineRunner(deps) };
}
