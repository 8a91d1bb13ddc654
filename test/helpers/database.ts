import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { isPostgresUrl } from '../../src/store/dialect.ts';

/**
 * The PostgreSQL the suite runs against, when DATABASE_URL names one (as
 * `bash .ci/run` does); otherwise undefined, and every test uses SQLite.
 */
export const POSTGRES_URL: string | undefined = isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined;

export const POSTGRES_SKIP_REASON = 'the PostgreSQL half of the suite runs only with DATABASE_URL=postgres://… (bash .ci/run starts a throw-away PostgreSQL and sets it)';

/** The database settings of one test: a temporary DATA_DIR, and on PostgreSQL a schema of its own. */
export interface TestDatabase {
  dataDir: string;
  /** Set on PostgreSQL: the URL whose search_path is this test's schema. */
  databaseUrl?: string;
  schema?: string;
  /** DATA_DIR and DATABASE_URL, as a service or a command reads them. */
  env: Record<string, string>;
  /** Drops the schema (PostgreSQL); nothing on SQLite, whose file stays in the temporary directory. */
  drop(): Promise<void>;
}

/** Runs one statement as the suite's PostgreSQL user, on a connection of its own. */
export async function adminQuery(text: string, url: string = POSTGRES_URL!): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** The URL of `base` with the given schema first on the search_path (libpq's `options`). */
export function urlWithSchema(base: string, schema: string): string {
  const url = new URL(base);
  url.searchParams.delete('options');
  const rest = url.search ? `${url.search}&` : '?';
  url.search = '';
  return `${url.toString()}${rest}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

/**
 * A fresh, empty database for one test: on SQLite a new DATA_DIR; on PostgreSQL
 * (DATABASE_URL set) also a new schema `t_<random>`, which `drop` removes with
 * everything in it.
 */
export async function freshDatabase(prefix = 'dossier-test-'): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  if (!POSTGRES_URL) return { dataDir, env: { DATA_DIR: dataDir }, drop: async () => {} };
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  const databaseUrl = urlWithSchema(POSTGRES_URL, schema);
  let dropped: Promise<void> | undefined;
  return {
    dataDir,
    databaseUrl,
    schema,
    env: { DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
    drop: () => (dropped ??= adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).then(() => undefined)),
  };
}

/** A fresh database that is dropped when the test ends. */
export async function testDatabase(t: { teardown: (fn: () => unknown) => void }, prefix?: string): Promise<TestDatabase> {
  const db = await freshDatabase(prefix);
  t.teardown(() => db.drop());
  return db;
}
