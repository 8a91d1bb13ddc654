import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import type { Role } from '../../src/auth/tokens.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { AppDeps } from '../../src/http/app-deps.ts';
import { buildApp } from '../../src/http/app.ts';
import { openService, seedCase } from '../../src/service-deps.ts';
import { createToken } from '../../src/store/token-store.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

export interface TestService {
  app: FastifyInstance;
  deps: AppDeps;
  dataDir: string;
  /** The database the service runs on; a second service given the same dataDir shares it. */
  database: TestDatabase;
  /** Bearer tokens, one per role; `partner` signs for "Test Partner Org". */
  tokens: { editor: string; reviewer: string; reviewer2: string; partner: string; expert: string };
  /** A new token of any role and binding. */
  token(role: Role, binding?: { organisation?: string; person?: string }): Promise<string>;
  auth(token: string): { authorization: string };
}

/** Databases made by startService, by DATA_DIR: a second service on the same dataDir shares the first one's. */
const databases = new Map<string, TestDatabase>();

/**
 * The real service on a fresh database with the NSO Group case imported as on
 * first start: SQLite in a temporary DATA_DIR, or, when DATABASE_URL names a
 * PostgreSQL (as `bash .ci/run` does), a schema of its own there. Given the
 * dataDir of an earlier service, the new one shares that database, as two
 * instances of the service would. Closed (and its schema dropped) when the test ends.
 */
export async function startService(t: Test, env: Record<string, string> = {}, dataDir?: string): Promise<TestService> {
  const shared = dataDir === undefined ? undefined : databases.get(dataDir);
  const database = shared ?? (dataDir === undefined ? await freshDatabase('dossier-service-') : { dataDir, env: { DATA_DIR: dataDir }, drop: async () => {} });
  databases.set(database.dataDir, database);
  const config: Config = loadConfig({ ...database.env, LOG_LEVEL: 'silent', ...env });
  const deps = await openService(config);
  let app: FastifyInstance | undefined;
  t.teardown(async () => {
    await app?.close();
    await deps.close();
    if (!shared) {
      databases.delete(database.dataDir);
      await database.drop();
    }
  });
  await seedCase(deps, 'nso-group');
  app = await buildApp(deps);
  const token = async (role: Role, binding: { organisation?: string; person?: string } = {}) =>
    (await createToken(deps.db, { role, ...binding, now: new Date() })).token;
  return {
    app: app!,
    deps,
    dataDir: database.dataDir,
    database,
    tokens: {
      editor: await token('editor'),
      reviewer: await token('reviewer'),
      reviewer2: await token('reviewer'),
      partner: await token('partner', { organisation: 'Test Partner Org' }),
      expert: await token('partner', { person: 'Dr. Test Expert' }),
    },
    token,
    auth: (value) => ({ authorization: `Bearer ${value}` }),
  };
}
