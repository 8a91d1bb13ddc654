import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import type { Role } from '../../src/auth/tokens.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { AppDeps } from '../../src/http/app-deps.ts';
import { buildApp } from '../../src/http/app.ts';
import { openService, seedCase } from '../../src/service-deps.ts';
import { createToken } from '../../src/store/token-store.ts';

export interface TestService {
  app: FastifyInstance;
  deps: AppDeps;
  dataDir: string;
  /** Bearer tokens, one per role; `partner` signs for "Test Partner Org". */
  tokens: { editor: string; reviewer: string; reviewer2: string; partner: string; expert: string };
  /** A new token of any role and binding. */
  token(role: Role, binding?: { organisation?: string; person?: string }): Promise<string>;
  auth(token: string): { authorization: string };
}

/**
 * The real service on a fresh SQLite database in a temporary DATA_DIR, with the
 * NSO Group case imported as on first start. Closed when the test ends.
 */
export async function startService(t: Test, env: Record<string, string> = {}, dataDir?: string): Promise<TestService> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'dossier-service-')));
  const config: Config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', ...env });
  const deps = await openService(config);
  await seedCase(deps, 'nso-group');
  const app = await buildApp(deps);
  t.teardown(async () => {
    await app.close();
    await deps.db.destroy();
  });
  const token = async (role: Role, binding: { organisation?: string; person?: string } = {}) =>
    (await createToken(deps.db, { role, ...binding, now: new Date() })).token;
  return {
    app,
    deps,
    dataDir: dir,
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
