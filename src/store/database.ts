import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import * as initial from './migrations/0001-initial.ts';
import type { Tables } from './tables.ts';

export type Db = Kysely<Tables>;

/** Versioned migrations, applied in name order at start. */
export const MIGRATIONS: Record<string, Migration> = { '0001-initial': initial };

export interface DatabaseSettings {
  dataDir: string;
  databaseUrl?: string;
}

/** The SQLite file a configuration points at. */
export function sqlitePath({ dataDir, databaseUrl }: DatabaseSettings): string {
  if (databaseUrl?.startsWith('sqlite:') || databaseUrl?.startsWith('file:')) {
    return resolve(databaseUrl.replace(/^(sqlite|file):(\/\/)?/, ''));
  }
  return join(resolve(dataDir), 'dossier.sqlite');
}

/**
 * Opens the database and brings its schema up to date. SQLite runs in WAL mode
 * with synchronous=FULL: an answered write is on disk.
 */
export async function openDatabase(settings: DatabaseSettings): Promise<Db> {
  if (settings.databaseUrl?.startsWith('postgres')) {
    throw new Error('DATABASE_URL: PostgreSQL is not supported yet; leave DATABASE_URL empty to use SQLite in DATA_DIR');
  }
  const path = sqlitePath(settings);
  mkdirSync(join(path, '..'), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db);
  return db;
}

export async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${(error as Error).message}`);
  }
}

/** True when every migration this code knows has been applied. */
export async function migrationsApplied(db: Db): Promise<boolean> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const migrations = await migrator.getMigrations();
  return migrations.every((m) => m.executedAt !== undefined);
}
