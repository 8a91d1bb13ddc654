import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, type LogConfig, type Migration } from 'kysely';
import pg from 'pg';
import { dialectOf, isPostgresUrl } from './dialect.ts';
import { ChangeMark, registerChangeMark } from './change-mark.ts';
import { LockingSqliteDialect } from './sqlite-dialect.ts';
import { withStatementCache } from './statement-cache.ts';
import * as initial from './migrations/0001-initial.ts';
import * as pdfCache from './migrations/0002-pdf-cache.ts';
import * as suggestionRejections from './migrations/0003-suggestion-rejections.ts';
import * as webSessions from './migrations/0004-web-sessions.ts';
import * as caseOrderIndexes from './migrations/0005-case-order-indexes.ts';
import * as reviewReviewer from './migrations/0006-review-reviewer.ts';
import type { Tables } from './tables.ts';

export type Db = Kysely<Tables>;
export { dialectOf, isPostgresUrl, type Dialect } from './dialect.ts';

/** Versioned migrations, applied in name order at start. */
export const MIGRATIONS: Record<string, Migration> = { '0001-initial': initial, '0002-pdf-cache': pdfCache, '0003-suggestion-rejections': suggestionRejections, '0004-web-sessions': webSessions, '0005-case-order-indexes': caseOrderIndexes,
  '0006-review-reviewer': reviewReviewer,
};

export interface DatabaseSettings {
  dataDir: string;
  /** Empty: SQLite in dataDir; `sqlite:`/`file:` another SQLite file; `postgres://` PostgreSQL. */
  databaseUrl?: string | undefined;
  /** Connections this process opens to PostgreSQL at most (pg's own default: 10). */
  poolSize?: number | undefined;
  /** Called with every query the database runs (tests use it to see the SQL). */
  log?: (sql: string) => void;
}

/** The SQLite file a configuration points at. */
export function sqlitePath({ dataDir, databaseUrl }: DatabaseSettings): string {
  if (databaseUrl?.startsWith('sqlite:') || databaseUrl?.startsWith('file:')) {
    return resolve(databaseUrl.replace(/^(sqlite|file):(\/\/)?/, ''));
  }
  return join(resolve(dataDir), 'dossier.sqlite');
}

/** A connection URL with its password replaced, fit for a log line or an error message. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    // libpq also takes the password as a parameter of the URL.
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

function logConfig(log: DatabaseSettings['log']): LogConfig | undefined {
  if (!log) return undefined;
  return (event) => log(event.query.sql);
}

/**
 * Opens the database and brings its schema up to date.
 *
 * SQLite (the default) runs in WAL mode with synchronous=FULL: an answered write
 * is on disk; one process writes at a time. PostgreSQL (`DATABASE_URL=postgres://…`)
 * is for several instances on one database: the tables live in the connection's
 * current schema (the first of its search_path, `public` unless the URL says
 * otherwise, e.g. `?options=-c%20search_path%3Ddossier`).
 */
export async function openDatabase(settings: DatabaseSettings): Promise<Db> {
  const log = logConfig(settings.log);
  let db: Db;
  if (isPostgresUrl(settings.databaseUrl)) {
    const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: settings.poolSize ?? 10, idleTimeoutMillis: 30_000 });
    // A pooled connection that the server drops while idle is not fatal: the next query opens another.
    pool.on('error', (error) => process.stderr.write(`PostgreSQL: an idle connection failed: ${error.message}\n`));
    db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
    try {
      await migrate(db);
    } catch (error) {
      await db.destroy();
      throw new Error(`${redactUrl(settings.databaseUrl)}: ${(error as Error).message}`);
    }
    return db;
  }
  const path = sqlitePath(settings);
  mkdirSync(join(path, '..'), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const changeMark = new ChangeMark(sqlite);
  db = new Kysely<Tables>({ dialect: new LockingSqliteDialect({ database: withStatementCache(sqlite, changeMark) }), ...(log ? { log } : {}) });
  registerChangeMark(db, changeMark);
  await migrate(db);
  return db;
}

/**
 * The migrator. On PostgreSQL its bookkeeping tables live in the current schema,
 * next to the service's tables, so that databases with several schemas (one per
 * test, or another application's) do not mistake each other's migrations.
 */
async function migrator(db: Db): Promise<Migrator> {
  let schema: string | undefined;
  if (dialectOf(db) === 'postgres') {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    schema = rows[0]?.schema ?? undefined;
    if (!schema) throw new Error('the search_path names no schema that exists: create it, or leave search_path alone to use "public"');
  }
  return new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS }, ...(schema ? { migrationTableSchema: schema } : {}) });
}

/**
 * Applies the migrations not applied yet. Several instances starting at once on
 * one PostgreSQL take turns (Kysely holds an advisory lock while it migrates).
 */
export async function migrate(db: Db): Promise<void> {
  const { error, results } = await (await migrator(db)).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${(error as Error).message}`);
  }
}

/** True when every migration this code knows has been applied. */
export async function migrationsApplied(db: Db): Promise<boolean> {
  const migrations = await (await migrator(db)).getMigrations();
  return migrations.every((m) => m.executedAt !== undefined);
}
