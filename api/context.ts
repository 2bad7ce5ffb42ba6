import type { DbHandle } from '../core/database.ts';
import type { Env } from '../core/env.ts';
import type { Logger } from '../core/logger.ts';

/** What every route can reach: typed config, the database and the root logger. */
export interface AppDeps {
  env: Env;
  dbh: DbHandle;
  log: Logger;
  startedAt: number;
  version: string;
}

export interface AppBindings {
  Variables: {
    requestId: string;
    log: Logger;
    deps: AppDeps;
  };
}
