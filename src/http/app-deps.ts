import type { CaseDeps } from '../cases/context.ts';
import type { Config } from '../config.ts';
import type { DossierPdfs } from '../render/pool/dossier-pdfs.ts';
import type { Db } from '../store/database.ts';

/** What the HTTP layer is built from; tests build the same with a temporary database. */
export interface AppDeps {
  config: Config;
  db: Db;
  cases: CaseDeps;
  /** Draft PDFs: rendered in worker threads, cached for every instance. */
  dossiers: DossierPdfs;
  /** Stops the render threads and closes the database. */
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}
