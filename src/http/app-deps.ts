import type { CaseDeps } from '../cases/context.ts';
import type { Config } from '../config.ts';
import type { Db } from '../store/database.ts';

/** What the HTTP layer is built from; tests build the same with a temporary database. */
export interface AppDeps {
  config: Config;
  db: Db;
  cases: CaseDeps;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}
